// @vitest-environment happy-dom
/**
 * Try a fix in the DOM: the editor opens pre-filled with the suggested fix, re-judges on every edit,
 * and highlights the decisive header. The verdict comes from the real engine (evaluate).
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { TryFix } from '../../../src/panel/components/TryFix';
import { evaluate } from '../../../src/engine';
import { blockedPreflight, refused } from '../../report/sample';

// The extension API is not under test; the panel's platform module needs a stand-in outside an extension.
vi.mock('../../../src/platform/browser', () => ({ default: {} }));

afterEach(cleanup);

const judged = () => {
  const { exchange } = blockedPreflight();
  return { exchange, verdict: evaluate(exchange) };
};

describe('TryFix', () => {
  test('pre-filled with the fix it is allowed; the observed answers are blocked; edits re-judge it', () => {
    const { container } = render(<TryFix entry={judged()} />);
    fireEvent.click(screen.getByRole('button', { name: /Try a fix/ }));
    const result = () => container.querySelector('.try-result')!;
    // Allowed, and green: the suggestion is the complete set, Vary: Origin included.
    expect(result().className).toContain('state-allowed');
    expect(result().textContent).toContain('The browser would allow it');

    fireEvent.click(screen.getByRole('button', { name: 'Start from what the server sent' }));
    expect(result().className).toContain('state-blocked');
    const acah = screen.getByRole<HTMLInputElement>('textbox', {
      name: 'Preflight: value of Access-Control-Allow-Headers',
    });
    expect(acah.closest('tr')?.className).toContain('decisive');

    fireEvent.input(acah, { target: { value: 'content-type, authorization' } });
    expect(result().className).toContain('state-allowed');
    // Adding Vary: Origin to both answers keeps it green.
    for (const which of ['preflight', 'response']) {
      fireEvent.click(screen.getByRole('button', { name: `Add a header to the ${which}` }));
      const names = screen.getAllByRole('textbox', { name: new RegExp(`^${which} header name`, 'i') });
      fireEvent.input(names[names.length - 1]!, { target: { value: 'Vary' } });
      const values = screen.getAllByRole('textbox', { name: new RegExp(`^${which}: value of Vary$`, 'i') });
      fireEvent.input(values[values.length - 1]!, { target: { value: 'Origin' } });
    }
    expect(result().className).toContain('state-allowed');
    expect(screen.getByRole('button', { name: 'Copy headers' })).toBeTruthy();
  });

  test('a call that failed for a non-CORS reason has nothing to try', () => {
    const { exchange } = refused();
    const { container } = render(<TryFix entry={{ exchange, verdict: evaluate(exchange) }} />);
    expect(container.textContent).toBe('');
  });
});
