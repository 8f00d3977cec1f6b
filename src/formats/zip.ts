// The files of a zip (a Word document is one), unpacked with the unpacked bytes counted as they
// come out of the inflater, never trusting the sizes the zip declares: a zip bomb whose directory
// says "1 KB" for a file that inflates to gigabytes is stopped at the limit, not after.
import { inflateRawSync } from 'node:zlib';

/** Why a zip could not be unpacked: not a zip at all, damaged (or packed in a way Word never uses), or over the limit. */
export class ZipError extends Error {
  constructor(
    readonly reason: 'not-zip' | 'damaged' | 'limit',
    message: string,
  ) {
    super(`zip: ${message}`);
    this.name = 'ZipError';
  }
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** Where the end-of-central-directory record starts: within the last 64 KB + 22 bytes. */
function endOfDirectory(view: DataView): number {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 65_557); at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) return at;
  }
  throw new ZipError('not-zip', 'no central directory');
}

/**
 * Unpacks every file of the zip, in the directory's order, by name. Throws a ZipError with reason
 * `limit` as soon as the bytes unpacked exceed `maxBytes` in all.
 */
export function unzip(bytes: Uint8Array, maxBytes: number): Map<string, Buffer> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = endOfDirectory(view);
  const files = new Map<string, Buffer>();
  let left = maxBytes;
  let entry = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0; i--) {
    if (entry + 46 > bytes.byteLength || view.getUint32(entry, true) !== DIRECTORY_ENTRY) throw new ZipError('damaged', 'a damaged central directory');
    const method = view.getUint16(entry + 10, true);
    const packed = view.getUint32(entry + 20, true);
    const nameLength = view.getUint16(entry + 28, true);
    const local = view.getUint32(entry + 42, true);
    const name = Buffer.from(bytes.subarray(entry + 46, entry + 46 + nameLength)).toString('utf8');
    entry += 46 + nameLength + view.getUint16(entry + 30, true) + view.getUint16(entry + 32, true);
    if (local + 30 > bytes.byteLength || view.getUint32(local, true) !== LOCAL_HEADER) throw new ZipError('damaged', `a damaged entry ${JSON.stringify(name)}`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + packed);
    if (method === STORED) {
      if (data.byteLength > left) throw new ZipError('limit', `unpacks to more than ${maxBytes} bytes`);
      files.set(name, Buffer.from(data));
      left -= data.byteLength;
    } else if (method === DEFLATED) {
      let unpacked: Buffer;
      try {
        // The inflater stops one byte past what is left: memory never holds more than the limit.
        unpacked = inflateRawSync(data, { maxOutputLength: left + 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipError('limit', `unpacks to more than ${maxBytes} bytes`);
        throw new ZipError('damaged', `a damaged entry ${JSON.stringify(name)}`);
      }
      if (unpacked.byteLength > left) throw new ZipError('limit', `unpacks to more than ${maxBytes} bytes`);
      files.set(name, unpacked);
      left -= unpacked.byteLength;
    } else {
      throw new ZipError('damaged', `entry ${JSON.stringify(name)} is packed with method ${method}`);
    }
  }
  return files;
}
