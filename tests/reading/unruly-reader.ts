// A reader program for the pool's tests: it speaks the reader's protocol (src/reading/pool.ts)
// and does what the document's name asks, so the tests can make a reader hang, grow or die on
// purpose. "slow-300.txt" answers after 300 ms; "spin.txt" never answers; "grow.txt" fills its
// memory; "crash.txt" exits.
import type { ReadReply, ReadRequest } from '../../src/reading/pool.js';

const send = (reply: ReadReply) => process.send?.(reply);

function answer({ id, source }: ReadRequest): void {
  const name = source.file.replace(/^.*\//, '');
  send({
    id,
    ok: true,
    article: { id: name, title: name, file: source.file, paragraphs: [{ articleId: name, n: 1, text: Buffer.from(source.bytes).toString('utf8'), kind: 'body' }] },
    facts: { people: [], phrases: [], treaty: {}, content: name },
  });
}

process.on('message', (request: ReadRequest) => {
  const name = request.source.file;
  if (name.endsWith('spin.txt')) for (;;);
  if (name.endsWith('crash.txt')) process.exit(3);
  if (name.endsWith('grow.txt')) {
    const kept: Buffer[] = [];
    // Outside the JavaScript heap, as pdf.js's decoded streams are: only a limit on the process sees it.
    setInterval(() => kept.push(Buffer.alloc(16 * 1024 * 1024, 1)), 5);
    return;
  }
  const delay = Number(/slow-(\d+)/.exec(name)?.[1] ?? 0);
  setTimeout(() => answer(request), delay);
});
process.on('disconnect', () => process.exit(0));
send({ ready: true });
