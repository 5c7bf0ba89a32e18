import { useState } from 'preact/hooks';
import { copyText } from '../env';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<null | boolean>(null);
  return (
    <button
      type="button"
      class="copy"
      onClick={() => {
        void copyText(text).then((ok) => {
          setDone(ok);
          setTimeout(() => setDone(null), 1500);
        });
      }}
    >
      {done === null ? label : done ? 'Copied' : 'Copy failed'}
    </button>
  );
}
