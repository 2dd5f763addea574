/*
 * gen_coaction.c — deterministic synthetic input for the co-action
 * benchmarks, in the QUT toolkit's 8-column CSV (message_id, user_id,
 * username, repost_id, reply_id, message, timestamp, urls), so the same
 * file feeds lockstep and the QUT-style SQL reference.
 *
 * usage: gen_coaction N MODE [VIRAL]
 *   N      posts (before VIRAL)
 *   MODE   rt   retweet-heavy: 85% retweets (popular posts, plus groups of
 *               50 accounts retweeting the same post within seconds)
 *          mix  40% retweets, 10% replies, 50% originals with hashtags,
 *               links and near-duplicate texts (for all layers)
 *          text originals only, 30% near-duplicates of 5,000 base texts
 *   VIRAL  adds one original post retweeted by VIRAL distinct new accounts
 *          over 24 hours
 * Times span 7 days from 2020-06-01, one-second resolution, in order.
 * Standard C only; a fixed-seed xorshift makes the output reproducible.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t s = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }
static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }
static double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

static char word[5000][12];

/* 5,000 words of 3 to 9 random letters: a realistic spread of character
 * 4-grams (a syllable vocabulary would make every text share most of its
 * shingles with every other). */
static void make_words(void)
{
    uint64_t x = 0x2545F4914F6CDD1DULL;
    for (int i = 0; i < 5000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        int len = 3 + (int)(x % 7);
        for (int j = 0; j < len; j++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            word[i][j] = (char)('a' + x % 26);
        }
        word[i][len] = 0;
    }
}

/* Base text b with word position (b % 12) replaced when variant != 0. */
static void text_of(char *out, size_t cap, uint64_t b, int variant)
{
    uint64_t x = b * 0x2545F4914F6CDD1DULL + 1;
    size_t n = 0;
    for (int j = 0; j < 12; j++) {
        x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
        uint64_t w = (x * 0x2545F4914F6CDD1DULL) % 5000;
        if (variant && j == (int)(b % 12)) w = (w + (uint64_t)variant * 17) % 5000;
        n += (size_t)snprintf(out + n, cap - n, "%s%s", j ? " " : "", word[w]);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: gen_coaction N rt|mix|text [VIRAL]\n"); return 2; }
    uint64_t N = strtoull(argv[1], NULL, 10), V = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
    const char *mode = argv[2];
    int rt = !strcmp(mode, "rt"), mix = !strcmp(mode, "mix"), tx = !strcmp(mode, "text");
    if (!rt && !mix && !tx) { fprintf(stderr, "unknown mode %s\n", mode); return 2; }
    make_words();
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    uint64_t A = N / 10 < 1000 ? 1000 : N / 10;
    const uint64_t T0 = 1590969600, SPAN = 7 * 86400;
    uint64_t *orig = malloc((N + 1) * sizeof *orig), no = 0;
    if (!orig) return 1;
    printf("message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n");
    char text[256];
    uint64_t id = 1, burst_left = 0, burst_src = 0, burst_group = 0;
    for (uint64_t i = 0; i < N; i++, id++) {
        uint64_t t = T0 + i * SPAN / N;
        uint64_t acc = below(A);
        double u = unif();
        /* Coordinated bursts: a group of 50 accounts retweets one post. */
        if ((rt || mix) && burst_left == 0 && no > 10 && below(rt ? 400 : 2000) == 0) {
            burst_left = 50; burst_src = orig[no - 1 - below(no < 50 ? no : 50)]; burst_group = below(20);
        }
        if (burst_left) {
            acc = burst_group * 50 + (50 - burst_left);
            burst_left--;
            printf("%llu,u%llu,user%llu,%llu,,\"RT burst\",%llu,\n", (unsigned long long)id,
                   (unsigned long long)acc, (unsigned long long)acc, (unsigned long long)burst_src,
                   (unsigned long long)t);
            continue;
        }
        int is_rt = no > 0 && ((rt && u < 0.85) || (mix && u < 0.40));
        int is_reply = !is_rt && mix && no > 0 && u < 0.50;
        if (is_rt) {
            /* Popular recent posts: a power law over the last 2,000. */
            uint64_t back = (uint64_t)(2000.0 * unif() * unif() * unif());
            uint64_t src = unif() < 0.7 ? orig[no - 1 - (back < no ? back : no - 1)] : orig[below(no)];
            printf("%llu,u%llu,user%llu,%llu,,\"RT x\",%llu,\n", (unsigned long long)id,
                   (unsigned long long)acc, (unsigned long long)acc, (unsigned long long)src,
                   (unsigned long long)t);
            continue;
        }
        uint64_t base = below(tx ? 5000 : 20000);
        int dup = unif() < 0.3;
        if (dup) text_of(text, sizeof text, base, (int)below(3));
        else text_of(text, sizeof text, (uint64_t)1000000 + i, 0);
        char tags[64] = "", urls[96] = "";
        if (mix) {
            if (below(2)) snprintf(tags, sizeof tags, " #tag%llu", (unsigned long long)below(1000));
            if (below(3) == 0)
                snprintf(urls, sizeof urls, "http://site%llu.example/p%llu",
                         (unsigned long long)below(200), (unsigned long long)below(10000));
        }
        char reply[32] = "";
        if (is_reply) snprintf(reply, sizeof reply, "%llu", (unsigned long long)orig[no - 1 - below(no < 500 ? no : 500)]);
        printf("%llu,u%llu,user%llu,,%s,\"%s%s%s%s\",%llu,%s\n", (unsigned long long)id,
               (unsigned long long)acc, (unsigned long long)acc, reply, text, tags,
               urls[0] ? " " : "", urls, (unsigned long long)t, urls);
        orig[no++] = id;
    }
    if (V) {
        uint64_t vid = id++;
        printf("%llu,viralauthor,viralauthor,,,\"the viral post\",%llu,\n", (unsigned long long)vid,
               (unsigned long long)T0);
        for (uint64_t k = 0; k < V; k++, id++)
            printf("%llu,v%llu,viral%llu,%llu,,\"RT viral\",%llu,\n", (unsigned long long)id,
                   (unsigned long long)k, (unsigned long long)k, (unsigned long long)vid,
                   (unsigned long long)(T0 + 1 + k * 86400 / V));
    }
    free(orig);
    return fflush(stdout) ? 1 : 0;
}
