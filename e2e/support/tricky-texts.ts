import { Rng } from '../../shared/random/rng.ts';

/** Words for the long review: a mix of everything below, so it also exercises every case at scale. */
const vocabulary = [
  'the', 'movie', 'was', 'not', 'good', 'bad', 'great', 'terrible', 'acting', 'plot', "didn't", 'it’s',
  'café', 'naïve', 'ΣΟΦΟΣ', 'İ', '😍', '👍🏽', '!', '?', '!!!', '<br />', '&amp;', '&quot;', 'Oscar', 'MUST-SEE',
  '1990s', '10/10', 'boring', 'loved', 'hated', 'Straße', '电影', 'film', 'and', 'but', 'very', 'really',
];

/**
 * Texts that stress every step of the featurizer where Node and a browser could plausibly disagree: the HTML
 * and entity clean-up, Unicode case mapping (context-dependent final sigma, dotted capital I), letter classes,
 * apostrophes, UTF-8 encoding of astral characters and lone surrogates, and a long document.
 */
export const trickyTexts: string[] = [
  '',
  '   \t\n ',
  'This movie was GREAT!!! Loved it.<br /><br />Would I watch it again? Yes!',
  'Tom &amp; Jerry &lt;3 &quot;classic&quot; &#39;toon&#39;&nbsp;fun &copy; &unknown;',
  '<i>Italic</i> and <a href="http://example.com/x?y=1">a link</a> then <' + 'x'.repeat(250) + '> not a tag',
  'Café crème brûlée: naïve façade, Ærøskøbing, Straße, ÉCOLE, Ĳssel',
  'Cafe\u0301 decomposed vs Café composed',
  'İstanbul and ΟΔΥΣΣΕΥΣ and ΣΊΣΥΦΟΣ: final sigma depends on context',
  'Loved it 😍😍 👍🏽 10/10 🎬🍿 family: 👨‍👩‍👧',
  "I didn’t like it, but it's fine. Don't 'quote' me — rock ’n’ roll, o'clock’s",
  '!!! ??? !?!? ... ?! !',
  'MiXeD CaSe WoRdS mixed case words MIXED CASE WORDS',
  '这部电影很好看 映画は最高でした 영화가 좋아요 фильм отличный فيلم رائع סרט מצוין',
  'The 1990s remake got 7/10, 3.5 stars, ２０２４ and ٣ in other digits',
  'zero\u200bwidth non\u00a0breaking soft\u00adhyphen tab\tnew\nline',
  'lone surrogate ab\ud83dcd and \udc00 alone',
  'not good not bad not good at all, good good good',
  longReview(20_000),
];

/** A deterministic review of exactly `length` characters (cut mid-word at the end, as real text can be). */
function longReview(length: number): string {
  const rng = new Rng(20_000);
  let text = '';
  while (text.length < length) {
    text += vocabulary[rng.int(vocabulary.length)];
    text += rng.int(12) === 0 ? '. ' : ' ';
  }
  return text.slice(0, length);
}
