// Counts as a reader says them: "1 article", "2 articles", never "the 1 articles".

/** `n` and the noun agreeing with it; `many` for nouns that do not just take an "s". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
