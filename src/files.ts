// Writing files so that a crash or a full disk never leaves half of one, nor litter: a temporary
// file beside the target, renamed over it once complete, removed when the write fails, and swept
// up at the next start when the process died before it could.
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temporary files of writes that never finished: `.<name>.<pid>.tmp`. */
const TEMPORARY = /^\..+\.\d+\.tmp$/;

/** Writes `content` to `file` atomically: all of it or, when the write fails, nothing, not even a temporary file. */
export function writeAtomically(file: string, content: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Removes what interrupted writes left in `folder`, so a disk that filled up does not stay full. */
export function removeTemporaryFiles(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names.filter((n) => TEMPORARY.test(n))) rmSync(join(folder, name), { force: true });
}
