// A journal article of three pages, as the tests read it: the paragraphs it prints, and the PDF.
import { flow, makePdf, type Placed } from './make-pdf.js';

export const TITLE = 'Old Allies, New Terms: The 2024 Treaty Between Moscow and Pyongyang';
export const AUTHOR = 'Ann Example';

/** The body's paragraphs, as a reader counts them. Written with the words the PDF breaks across lines. */
export const PARAGRAPHS = [
  'The comprehensive strategic partnership treaty signed in Pyongyang in June 2024 restores a long-standing commitment to mutual military assistance that had lapsed for almost three decades. Its fourth article obliges each side to provide assistance without delay if the other comes under armed attack.',
  'Observers in Seoul and Washington read the text against the 1961 treaty, which the Soviet Union and North Korea signed at the height of the Cold War. That treaty bound Moscow to defend its ally and was allowed to expire in 1996, after Russia had recognised South Korea.',
  'The 2000 treaty that replaced it spoke only of consultations when either side faced a threat. Diplomats at the time described it as a weaker basic treaty, one that left the question of cooperation in a crisis deliberately open.',
  'The new text goes further than its predecessor in three respects. It names military and technical cooperation as a field of joint work, it commits both governments to oppose sanctions imposed by third countries, and it provides for regular meetings of the two foreign ministers.',
  'Whether the obligations will be honoured is another matter. Several analysts noted that the wording leaves each government to decide what assistance means, and that neither side has published the procedures that would bring the clause into force.',
  'Officials in Seoul were more cautious in public than in private. In interviews they described the long-standing practice of reading such documents for what they leave out, and they pointed to the absence of any provision on nuclear cooperation, which Pyongyang had sought for years.',
  'For the governments in the region, the treaty is above all a signal. It shows that Moscow is willing to accept the diplomatic costs of closer ties with Pyongyang, and that North Korea has found a partner less constrained than Beijing.',
  'This article has argued that the 2024 treaty should be read as a return to older terms rather than as a new alliance. Its practical meaning will depend on how the two governments act on it in the years ahead.',
];

/** Words the PDF breaks with a hyphen at a line end, and how. */
export const HYPHENATED = [
  'compre-hensive', 'partner-ship', 'commit-ment', 'assis-tance', 'Washing-ton', 'consul-tations', 'deliber-ately', 'predeces-sor',
  'cooper-ation', 'govern-ments', 'sanc-tions', 'obliga-tions', 'proce-dures', 'diplo-matic', 'constrain-ed', 'docu-ments', 'provi-sion',
];

export const FOOTNOTES = [
  { page: 1, label: '1', text: 'Treaty of Friendship, Co-operation and Mutual Assistance, signed in Moscow on 6 July 1961.' },
  { page: 2, label: '2', text: 'Interviews with officials in Seoul, September 2024.' },
];

const HEADER = 'Journal of Northeast Asian Studies · Vol. 12, No. 3 (2024)';

/** Three A4 pages: two columns on the first two, one on the last; header, footer, page numbers, footnotes. */
export async function journalPdf(): Promise<Uint8Array> {
  const body = flow(
    PARAGRAPHS.slice(0, 7),
    [
      { page: 1, x: 56, y: 200, lines: 13 },
      { page: 1, x: 311, y: 200, lines: 13 },
      { page: 2, x: 56, y: 80, lines: 9 },
      { page: 2, x: 311, y: 80, lines: 9 },
    ],
    { width: 228, size: 10, leading: 12.5, indent: 12, hyphenate: HYPHENATED },
  );
  const last = flow(PARAGRAPHS.slice(7), [{ page: 3, x: 56, y: 80, lines: 10 }], { width: 483, size: 10, leading: 12.5, indent: 12 });
  const chrome = (page: number): Placed[] => [
    { text: HEADER, x: 56, y: 40, size: 8 },
    { text: `Page ${page} of 3`, x: 270, y: 800, size: 8 },
  ];
  return makePdf({
    info: { Title: TITLE, Author: AUTHOR },
    pages: [
      {
        lines: [
          ...chrome(1),
          { text: 'Old Allies, New Terms: The 2024 Treaty', x: 56, y: 90, size: 20 },
          { text: 'Between Moscow and Pyongyang', x: 56, y: 116, size: 20 },
          { text: `By ${AUTHOR}`, x: 56, y: 150, size: 11 },
          ...body.get(1)!,
          { text: `1 ${FOOTNOTES[0]!.text}`, x: 56, y: 760, size: 7 },
        ],
      },
      { lines: [...chrome(2), ...body.get(2)!, { text: `2 ${FOOTNOTES[1]!.text}`, x: 56, y: 770, size: 7 }] },
      { lines: [...chrome(3), ...last.get(3)!] },
    ],
  });
}
