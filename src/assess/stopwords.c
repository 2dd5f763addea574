/*
 * stopwords.c — small per-language stop-word lists (English, Chinese,
 * Japanese, Spanish, French), in the NFKC-casefolded form the tokeniser
 * produces.  Kept short on purpose: distinctive-term scoring against the
 * rest of the data already discounts words everybody uses, so these lists
 * only remove the function words that would otherwise crowd the top of
 * narrative groups.
 */
#include "assess.h"

/* Exposed to tokens.c through this accessor only. */
const char *const *ls__stopword_list(size_t *n);

static const char *const words[] = {
    /* en */
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "but", "by", "can", "could", "did", "do",
    "does", "don't", "for", "from", "get", "got", "had", "has", "have", "he", "her",
    "here", "him", "his", "how", "i", "i'm", "if", "in", "into", "is", "it", "it's",
    "its", "just", "me", "more", "most", "my", "no", "not", "now", "of", "on", "one",
    "only", "or", "other", "our", "out", "over", "she", "so", "some", "than", "that",
    "that's", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "to", "too", "up", "us", "very", "was", "we", "were", "what", "when", "where",
    "which", "who", "why", "will", "with", "would", "you", "your", "rt", "amp", "via",
    /* zh (simplified and traditional forms of the commonest function words) */
    "的", "了", "是", "在", "我", "有", "和", "就", "不", "人", "都", "一", "一个", "上",
    "也", "很", "到", "说", "要", "去", "你", "会", "着", "没有", "看", "好", "自己",
    "这", "這", "他", "她", "它", "们", "們", "我们", "我們", "你们", "你們", "他们",
    "他們", "这个", "這個", "那", "那个", "什么", "什麼", "吗", "嗎", "呢", "吧", "啊",
    "与", "與", "及", "等", "被", "把", "从", "從", "对", "對", "为", "為", "而", "但",
    "又", "或", "还", "還", "所以", "因为", "因為", "就是", "之", "其", "以", "于", "於",
    "中", "个", "個", "这些", "這些", "已经", "已經", "可以", "没", "沒", "让", "讓",
    /* ja */
    "の", "に", "は", "を", "た", "が", "で", "て", "と", "し", "れ", "さ", "ある", "いる",
    "も", "する", "から", "な", "こと", "として", "い", "や", "れる", "など", "ない",
    "この", "ため", "その", "よう", "また", "もの", "という", "まで", "なる", "へ", "か",
    "だ", "これ", "です", "ます", "それ",
    /* es */
    "de", "la", "que", "el", "en", "y", "los", "se", "del", "las", "un", "por", "con",
    "una", "su", "para", "es", "al", "lo", "como", "más", "pero", "sus", "le", "ya",
    /* fr */
    "le", "les", "et", "des", "du", "une", "il", "elle", "ne", "pas", "pour", "qui",
    "dans", "ce", "sur", "au", "avec", "est", "sont", "nous", "vous",
};

const char *const *ls__stopword_list(size_t *n)
{
    *n = sizeof words / sizeof words[0];
    return words;
}
