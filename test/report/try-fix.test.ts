/**
 * "Try a fix": edited answers are judged by the real engine. Each case starts from an observed
 * exchange whose verdict is known and checks what an edit changes.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import {
  applyChange,
  canTry,
  editRow,
  editStatus,
  editedExchange,
  headersText,
  observedWorkbench,
  suggestedWorkbench,
  tryAnswers,
  type Workbench,
} from '../../src/report/try-fix';
import { API, PAGE, exchange } from '../engine/build';

const preflightBlocked = () => {
  const ex = exchange({
    method: 'PUT',
    legs: [
      {
        url: `${API}/items/1`,
        sent: false,
        preflight: {
          acrh: 'authorization,content-type',
          status: 204,
          headers: {
            'Access-Control-Allow-Origin': PAGE,
            'Access-Control-Allow-Methods': 'GET, PUT',
            'Access-Control-Allow-Headers': 'content-type',
          },
        },
      },
    ],
    outcome: 'net::ERR_FAILED',
  });
  return { ex, v: evaluate(ex) };
};

const rowIndex = (wb: Workbench, key: 'preflight' | 'response', name: string) =>
  wb[key]!.rows.findIndex((r) => r.name.toLowerCase() === name.toLowerCase());

describe('try a fix', () => {
  it('the observed answers reproduce the observed verdict', () => {
    const { ex, v } = preflightBlocked();
    expect(v.outcome).toBe('blocked');
    const wb = observedWorkbench(ex, v);
    expect(wb.preflight?.observed).toBe(true);
    expect(wb.response.observed).toBe(false);
    const t = tryAnswers(ex, v, wb);
    expect(t.verdict.outcome).toBe('blocked');
    expect(t.verdict.chromeError).toBe('HeaderDisallowedByPreflightResponse');
    expect([...t.decisive.preflight]).toEqual(['access-control-allow-headers']);
  });

  it('editing one header (Access-Control-Allow-Headers) turns the blocked call allowed', () => {
    const { ex, v } = preflightBlocked();
    let wb = observedWorkbench(ex, v);
    const i = rowIndex(wb, 'preflight', 'access-control-allow-headers');
    wb = editRow(wb, 'preflight', i, {
      name: 'Access-Control-Allow-Headers',
      value: 'content-type, authorization',
    });
    // The request was never sent: its answer is taken to carry the preflight's Allow-Origin.
    expect(wb.response.rows).toEqual([{ name: 'Access-Control-Allow-Origin', value: PAGE }]);
    expect(tryAnswers(ex, v, wb).verdict.outcome).toBe('allowed');
  });

  it('the suggested fix, applied as is, makes the call pass', () => {
    const { ex, v } = preflightBlocked();
    const wb = suggestedWorkbench(ex, v);
    const acah = wb.preflight!.rows.find((r) => r.name.toLowerCase() === 'access-control-allow-headers');
    expect(acah?.value.toLowerCase()).toContain('authorization');
    expect(tryAnswers(ex, v, wb).verdict.outcome).toBe('allowed');
  });

  it('a credentialed call stays blocked without Access-Control-Allow-Credentials', () => {
    const ex = exchange({
      legs: [
        {
          url: `${API}/me`,
          sent: { Origin: PAGE, Cookie: 'sid=1' },
          status: 200,
          headers: { 'Access-Control-Allow-Origin': '*' },
        },
      ],
      outcome: 'net::ERR_FAILED',
    });
    const v = evaluate(ex);
    expect(v.chromeError).toBe('WildcardOriginNotAllowed');
    let wb = observedWorkbench(ex, v);
    wb = editRow(wb, 'response', rowIndex(wb, 'response', 'access-control-allow-origin'), {
      name: 'Access-Control-Allow-Origin',
      value: PAGE,
    });
    const t = tryAnswers(ex, v, wb);
    expect(t.credentials).toBe(true);
    expect(t.verdict.outcome).toBe('blocked');
    expect(t.verdict.chromeError).toBe('InvalidAllowCredentials');
    expect([...t.decisive.response]).toEqual(['access-control-allow-credentials']);
    wb = editRow(wb, 'response', wb.response.rows.length, {
      name: 'Access-Control-Allow-Credentials',
      value: 'true',
    });
    expect(tryAnswers(ex, v, wb).verdict.outcome).toBe('allowed');
    expect(tryAnswers(ex, v, suggestedWorkbench(ex, v)).verdict.outcome).toBe('allowed');
  });

  it('a preflight answered 404: the suggestion sets 204, Allow-Origin and the method, and passes in one round', () => {
    const ex = exchange({
      method: 'DELETE',
      legs: [{ url: `${API}/x`, sent: false, preflight: { status: 404, headers: {} } }],
      outcome: 'net::ERR_FAILED',
    });
    const v = evaluate(ex);
    expect(v.outcome).toBe('blocked');
    const wb = suggestedWorkbench(ex, v);
    expect(wb.preflight?.status).toBe(204);
    expect(tryAnswers(ex, v, wb).verdict.outcome).toBe('allowed');
    // Without the method line the preflight still fails: the suggestion needs every line it has.
    const at = wb.preflight!.rows.findIndex((r) => r.name === 'Access-Control-Allow-Methods');
    expect(wb.preflight!.rows[at]?.value).toBe('GET, POST, DELETE');
    const without = editRow(wb, 'preflight', at, null);
    const first = tryAnswers(ex, v, without);
    expect(first.verdict.chromeError).toBe('MethodDisallowedByPreflightResponse');
    expect([...first.decisive.preflight]).toEqual(['access-control-allow-methods']);
    expect(editStatus(wb, 'preflight', 404).preflight?.status).toBe(404);
    expect(editStatus(wb, 'preflight', Number.NaN)).toBe(wb);
    expect(tryAnswers(ex, v, editStatus(wb, 'preflight', 404)).verdict.chromeError).toBe(
      'PreflightInvalidStatus',
    );
  });

  it('builds the edited exchange without touching the observed one', () => {
    const { ex, v } = preflightBlocked();
    const before = JSON.stringify(ex);
    const wb = suggestedWorkbench(ex, v);
    const edited = editedExchange(ex, v, wb);
    expect(JSON.stringify(ex)).toBe(before);
    expect(edited.legs[0]?.requestHeaders).toEqual([{ name: 'Origin', value: PAGE }]);
    expect(edited.legs[0]?.response?.statusCode).toBe(200);
    // Removing a row and blank names are handled.
    const fewer = editRow(wb, 'preflight', 0, null);
    expect(fewer.preflight!.rows).toHaveLength(wb.preflight!.rows.length - 1);
    const blank = editRow(wb, 'response', 0, { name: '  ', value: 'x' });
    expect(editedExchange(ex, v, blank).legs[0]?.response?.headers.some((h) => h.name === '')).toBe(false);
  });

  it('applyChange sets, adds, removes, merges Vary and drops duplicate lines', () => {
    const rows = [
      { name: 'Vary', value: 'Accept-Encoding' },
      { name: 'access-control-allow-origin', value: 'a' },
      { name: 'Access-Control-Allow-Origin', value: 'b' },
    ];
    expect(applyChange(rows, 'Vary', 'Origin')[0]).toEqual({
      name: 'Vary',
      value: 'Accept-Encoding, Origin',
    });
    expect(applyChange(rows, 'Access-Control-Allow-Origin', PAGE)).toEqual([
      rows[0],
      { name: 'access-control-allow-origin', value: PAGE },
    ]);
    expect(applyChange(rows, 'Access-Control-Allow-Origin', null)).toEqual([rows[0]]);
    expect(applyChange([], 'X-A', '1')).toEqual([{ name: 'X-A', value: '1' }]);
  });

  it('copies the working set as header lines', () => {
    const { ex, v } = preflightBlocked();
    const text = headersText(ex, suggestedWorkbench(ex, v));
    expect(text).toMatch(/^# Answer to the preflight \(OPTIONS \/items\/1\) -> 204\n/);
    expect(text).toContain('# Answer to the request (PUT /items/1) -> 200');
    expect(text).toMatch(/Access-Control-Allow-Headers: .*authorization/i);
  });

  it('only CORS verdicts can be tried', () => {
    const failed = exchange({
      legs: [{ url: `${API}/x`, sent: { Origin: PAGE } }],
      outcome: 'net::ERR_CONNECTION_REFUSED',
    });
    expect(canTry(evaluate(failed))).toBe(false);
    expect(canTry(preflightBlocked().v)).toBe(true);
  });
});
