// The PDF layout rules (`layoutPages`) on pieces of text placed by hand, one rule at a time.
import { describe, expect, it } from 'vitest';
import { layoutPages, type PageText, type Piece } from '../src/formats/pdf-layout.js';

/** Lines at `size` 10, 12 points apart, from `y` down, at `x`. */
function lines(texts: string[], { x = 50, y = 700, size = 10, leading = 12 } = {}): Piece[] {
  return texts.map((text, i) => ({ text, x, y: y - i * leading, width: text.length * size * 0.5, size }));
}

function page(number: number, pieces: Piece[]): PageText {
  return { number, width: 595, height: 842, pieces };
}

const bodies = (pages: PageText[]) => layoutPages(pages).blocks.filter((b) => !b.footnote).map((b) => b.text);

describe('layoutPages', () => {
  it('joins a word broken at a line end, but keeps the hyphen of a word the document writes with one', () => {
    const text = ['The talks were long and diffi-', 'cult, as the well-known envoy said to the well-', 'known press corps that waited.'];
    expect(bodies([page(1, lines(text))])).toEqual(['The talks were long and difficult, as the well-known envoy said to the well-known press corps that waited.']);
  });

  it('leaves a raised footnote mark out of the sentence it follows', () => {
    const [first] = lines(['The treaty lapsed in 1996.']);
    const mark: Piece = { text: '3', x: first!.x + first!.width, y: first!.y + 3, width: 3, size: 6 };
    const rest: Piece = { text: ' Moscow let it go.', x: first!.x + first!.width + 4, y: first!.y, width: 80, size: 10 };
    expect(bodies([page(1, [first!, mark, rest])])).toEqual(['The treaty lapsed in 1996. Moscow let it go.']);
  });

  it('leaves out page numbers however they are written, and headers and footers repeated on the pages', () => {
    const pages = ['- 1 -', 'Page 2 of 3', 'iii'].map((number, i) =>
      page(i + 1, [
        ...lines(['Northern Review · Spring 1998'], { y: 800, size: 8 }),
        ...lines([`The ${['first', 'second', 'third'][i]} page of the report has a sentence on it.`]),
        ...lines([number], { x: 290, y: 60, size: 8 }),
      ]),
    );
    expect(bodies(pages)).toEqual(['The first page of the report has a sentence on it.', 'The second page of the report has a sentence on it.', 'The third page of the report has a sentence on it.']);
  });

  it('reads two columns column by column, below a headline across both', () => {
    const left = lines(['The left column opens the', 'article and runs on to the', 'foot of the column, where'], { x: 50 });
    const right = lines(['it goes on in the right', 'column and ends the', 'article here.'], { x: 320 });
    const layout = layoutPages([page(1, [{ text: 'A headline set across both columns', x: 50, y: 760, width: 400, size: 20 }, ...left.flatMap((l, i) => [l, right[i]!])])]);
    expect(layout.headline).toBe('A headline set across both columns');
    expect(layout.blocks.map((b) => b.text)).toEqual(['The left column opens the article and runs on to the foot of the column, where it goes on in the right column and ends the article here.']);
  });

  it('keeps smaller type below the body apart as footnotes, a note running over two lines joined', () => {
    const layout = layoutPages([
      page(1, [...lines(['A sentence of the body that is set in the body type.', 'And another sentence of the body, on its own line.']), ...lines(['12 A note that runs on', 'over a second line.', '* A second note.'], { y: 120, size: 7, leading: 9 })]),
    ]);
    expect(layout.blocks.filter((b) => b.footnote)).toEqual([
      { text: 'A note that runs on over a second line.', page: 1, footnote: '12' },
      { text: 'A second note.', page: 1, footnote: '*' },
    ]);
  });
});
