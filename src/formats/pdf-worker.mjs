// The PDF text extractor's own thread, in a reader process: plain JavaScript, started without the
// TypeScript loader the rest of the code runs under, which would multiply pdf.js's memory. It
// answers a request { bytes, maxPages } with { pages, info, xmp } or { problem } (see pdf.ts's
// `Extracted`); the page sizes and positions are checked by pdf.ts.
import { parentPort } from 'node:worker_threads';
import { getDocument, PasswordResponses, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

async function extract(bytes, maxPages) {
  let pdf;
  try {
    pdf = await getDocument({ data: bytes, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: VerbosityLevel.ERRORS, stopAtErrors: false }).promise;
  } catch (err) {
    if (err?.name === 'PasswordException') return { problem: err.code === PasswordResponses.NEED_PASSWORD ? 'is protected by a password' : 'is protected by a password I do not have' };
    return { problem: 'is not a PDF I can read (it may be damaged)' };
  }
  try {
    if (pdf.numPages > maxPages) return { problem: `has ${pdf.numPages} pages; I read PDFs of at most ${maxPages}` };
    const pages = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const [x0, y0, x1, y1] = page.view;
      const content = await page.getTextContent();
      const pieces = content.items
        .filter((item) => 'str' in item)
        .map((item) => ({ text: item.str, x: item.transform[4] - x0, y: item.transform[5] - y0, width: item.width, size: Math.hypot(item.transform[2], item.transform[3]) || item.height }));
      pages.push({ number, width: Math.abs(x1 - x0), height: Math.abs(y1 - y0), pieces });
      page.cleanup();
    }
    const { info, metadata } = await pdf.getMetadata().catch(() => ({ info: {}, metadata: null }));
    return { pages, info: { Title: info?.Title, Author: info?.Author, Language: info?.Language }, xmp: metadata ? Object.fromEntries(metadata) : {} };
  } finally {
    await pdf.destroy();
  }
}

parentPort.once('message', ({ bytes, maxPages }) => {
  extract(bytes, maxPages).then(
    (result) => parentPort.postMessage(result),
    (err) => parentPort.postMessage({ problem: `is not a PDF I can read (${String(err?.message ?? err).slice(0, 100)})` }),
  );
});
