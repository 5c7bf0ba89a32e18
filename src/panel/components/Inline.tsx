import { codeParts } from '../../report/words';

/** Renders `code` spans of engine text as <code>; everything else stays text. */
export function Inline({ text }: { text: string }) {
  return <>{codeParts(text).map((p, i) => (p.code ? <code key={i}>{p.text}</code> : p.text))}</>;
}
