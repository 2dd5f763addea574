/*
 * text.c — tweet text, hashtags and links of simulated events.
 *
 * A text is a pure function of (topic, language, seed, aux): the event
 * stores only those, and the writer regenerates the text when it writes the
 * row (a retweet regenerates its original's).  The operation's narratives
 * are built from a small bank of templates with interchangeable parts, so
 * its posts are near-duplicates of each other, as in the June 2020 archive;
 * organic chatter is drawn from per-language word and phrase lists so it
 * rarely repeats.  Some texts are identical on purpose: news bots post the
 * same headline, the spam operation pastes the same message.  Hashtags of
 * the operation (香港, covid19, hongkong ...) are used by organic accounts
 * too, so no detector can lean on content.
 */
#include "sim.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define N_(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[ls__rng_below((r), N_(a))])

const char *const ls__sim_lang_code[L_COUNT] = { "zh", "en", "ja", "ko", "es", "fr", "pt", "zh", "th" };

/* ---- the operation's narratives (simplified Chinese and English) ---- */
static const char *const hk_open[] = { "", "", "【关注】", "转发：", "大家看看，", "真相：", "必须说一句，" };
static const char *const hk_subj[] = { "香港暴徒", "乱港分子", "黑衣暴徒", "反对派政客", "少数激进分子", "港独势力" };
static const char *const hk_pred[] = { "破坏社会秩序，严重危害香港市民的生命安全", "勾结外部势力，妄图搞乱香港",
    "到处纵火打砸，令人发指", "绑架民意，祸害香港经济", "围攻无辜市民，毫无底线", "撕裂香港社会，罪责难逃" };
static const char *const hk_end[] = { "，香港需要法治和稳定！", "，支持香港警察严正执法！", "。守护香港，人人有责。",
    "，止暴制乱刻不容缓！", "！香港是中国的香港。", "。" };
static const char *const hk_tags[] = { "香港", "暴徒", "守护香港", "hongkong", "香港警察" };
static const char *const hk_en[] = { "Rioters in Hong Kong are destroying the city they claim to love",
    "The violent protesters in Hong Kong must be stopped", "Hong Kong needs peace and rule of law, not riots",
    "Foreign forces are behind the chaos in Hong Kong", "Support the Hong Kong police in restoring order" };
static const char *const guo_subj[] = { "郭文贵", "逃犯郭文贵", "骗子郭文贵", "郭文贵之流" };
static const char *const guo_pred[] = { "满嘴谎言，骗取海外华人钱财", "所谓爆料不过是一场骗局", "勾结班农，招摇撞骗",
    "背负多项罪名，却妄想欺骗世人", "利用疫情造谣，唯恐天下不乱" };
static const char *const guo_end[] = { "，大家不要再上当了！", "。揭穿骗子真面目！", "，必将受到法律严惩。", "！" };
static const char *const guo_tags[] = { "郭文贵", "郭文贵", "骗子", "GuoWengui" };
static const char *const guo_en[] = { "Guo Wengui is a fugitive and a liar who cheats his own followers",
    "Do not believe the lies of Guo Wengui and Steve Bannon", "Guo Wengui's so-called revelations are a scam" };
static const char *const cov_subj[] = { "中国抗疫", "武汉人民", "中国政府", "中国医护人员", "美国政客" };
static const char *const cov_pred[] = { "举全国之力抗击肺炎疫情，成效显著", "为世界争取了宝贵的时间",
    "甩锅中国，无耻至极", "公开透明，赢得世界赞誉", "隐瞒疫情，害了自己的人民" };
static const char *const cov_end[] = { "！", "。", "，事实胜于雄辩！", "，大家怎么看？" };
static const char *const cov_tags[] = { "肺炎", "病毒", "covid19", "新冠肺炎", "coronavirus" };
static const char *const cov_en[] = { "China bought the world time to fight the virus", "Stop blaming China for the coronavirus",
    "The US government failed its people in the epidemic", "China's fight against COVID-19 sets an example" };
static const char *const tw_subj[] = { "民进党当局", "蔡英文", "台独势力", "岛内政客" };
static const char *const tw_pred[] = { "借疫情谋独，注定失败", "欺骗台湾民众，出卖台湾利益", "挟洋自重，自取灭亡", "政治操弄，罔顾民众健康" };
static const char *const tw_end[] = { "！", "。", "，台湾是中国的一部分。" };
static const char *const tw_tags[] = { "台湾", "蔡英文", "taiwan" };
static const char *const tw_en[] = { "The DPP is using the epidemic to seek independence",
    "Tsai Ing-wen is selling out Taiwan's people", "Taiwan is part of China" };
static const char *const emo[] = { "", "", "", " 😡", " 👍", " ‼️", " 🇨🇳", "!!", " 😂" };

/* ---- camouflage: spam and K-pop hashtags ---- */
static const char *const camo_txt[] = { "Follow me and I follow back", "Vote now for your favourite!", "Good morning everyone",
    "New follower? say hi", "Streaming all day", "每天进步一点点", "早上好", "今天天气真好", "Retweet if you agree" };
static const char *const camo_tags[] = { "BTS", "EXO", "BLACKPINK", "f4f", "teamfollowback", "followback", "방탄소년단",
    "TWICE", "StayAtHome" };

/* ---- organic vocabularies ----
 * Fixed-width entries (NUL-padded to WORD_W bytes): words() copies a
 * whole entry with two 16-byte moves and finds its length from the same
 * registers, instead of a byte loop (organic texts are most of the text
 * written). */
#define WORD_W 32
static const char w_en[][WORD_W] = { "the", "a", "today", "really", "love", "this", "game", "coffee", "work", "weekend",
    "finally", "new", "music", "city", "weather", "can't", "believe", "my", "dog", "friends", "home", "week", "so",
    "good", "bad", "time", "people", "think", "watching", "lockdown", "again", "best", "ever", "just", "got", "back",
    "from", "school", "lol", "honestly", "need", "sleep", "tonight", "morning", "team", "win", "season", "news",
    "thanks", "everyone", "happy", "birthday", "read", "book", "movie", "long", "day", "mask", "stay", "safe",
    "government", "policy", "vote", "market", "price", "food", "recipe", "garden", "run", "miles", "cat", "why",
    "what", "is", "going", "on", "with", "everything", "amazing", "photo", "travel", "miss", "summer", "rain" };
static const char w_zh[][WORD_W] = { "今天", "终于", "下班了", "好累", "周末", "吃了火锅", "天气不错", "朋友", "加油", "哈哈哈",
    "新的一周", "看了一部电影", "推荐", "这首歌", "太好听了", "在家", "隔离", "口罩", "工作", "咖啡", "晚安", "早安",
    "真的", "不容易", "大家", "注意安全", "香港", "台湾", "新闻", "生日快乐", "学习", "考试", "猫咪", "散步" };
static const char w_hant[][WORD_W] = { "今日", "終於", "放工", "好攰", "週末", "飲茶", "天氣", "朋友", "加油", "哈哈",
    "新聞", "香港", "台灣", "口罩", "返工", "睇戲", "呢首歌", "好好聽", "屋企", "食飯", "大家", "保重" };
static const char w_ja[][WORD_W] = { "今日は", "本当に", "ありがとう", "楽しかった", "仕事", "おはよう", "おやすみ", "雨", "猫",
    "ラーメン", "週末", "映画", "最高", "頑張る", "東京", "新しい", "音楽", "友達" };
static const char w_ko[][WORD_W] = { "오늘", "진짜", "감사합니다", "사랑해", "최고", "주말", "커피", "음악", "친구", "날씨",
    "행복", "응원", "새로운", "영상", "노래", "좋아요" };
static const char w_es[][WORD_W] = { "hoy", "que", "mucho", "amor", "trabajo", "fin", "de", "semana", "gracias", "casa",
    "vida", "futbol", "noticias", "gobierno", "feliz", "mañana", "todos", "buenos", "días", "ciudad" };
static const char w_fr[][WORD_W] = { "aujourd'hui", "vraiment", "merci", "travail", "week-end", "maison", "vie", "nouvelles",
    "gouvernement", "bonne", "journée", "tous", "ville", "musique", "enfin", "pluie" };
static const char w_pt[][WORD_W] = { "hoje", "muito", "obrigado", "trabalho", "casa", "vida", "futebol", "notícias",
    "governo", "feliz", "amanhã", "todos", "bom", "dia", "cidade" };
static const char w_th[][WORD_W] = { "วันนี้", "ขอบคุณ", "สวัสดี", "ทำงาน", "เพื่อน", "อาหาร", "กรุงเทพ", "ฝนตก" };
static const char *const org_tags[] = { "covid19", "COVID19", "StayHome", "NBA", "MondayMotivation", "photography",
    "music", "coronavirus", "lockdown", "FridayFeeling", "hongkong", "香港", "肺炎", "Election2020", "travel", "food",
    "ThrowbackThursday", "AnimalCrossing", "gaming", "tbt" };
static const char *const org_domains[] = { "https://www.youtube.com/watch?v=", "https://www.instagram.com/p/",
    "https://www.nytimes.com/2020/04/", "https://www.bbc.co.uk/news/world-", "https://open.spotify.com/track/",
    "https://www.theguardian.com/world/2020/", "https://www.scmp.com/news/hong-kong/article/",
    "https://github.com/", "https://medium.com/@", "https://www.reddit.com/r/" };

/* ---- look-alikes ---- */
static const char *const idol_names[] = { "STARLIGHT", "NOVA", "ORBIT_K", "LUNAR", "EVERGLOW8", "PRISM" };
static const char *const idol_txt[] = { "Thank you for always being with us", "New single out now!", "See you tonight on V LIVE",
    "오늘도 고마워요", "Behind the scenes from today's shoot", "We love you", "사랑해요 여러분", "D-3 until comeback!" };
static const char *const fan_txt[] = { "streaming party starts now", "they worked so hard for this", "my heart can't take it",
    "vote vote vote", "best comeback ever", "오늘도 최고", "crying at this", "so proud of them" };
static const char *const outlet_names[] = { "GlobalWire", "DailyDispatch", "NewsNow", "WorldDesk", "MetroTimes",
    "AsiaPost", "CityHerald", "PressLine" };
static const char *const hl_subj[] = { "Officials", "Scientists", "Lawmakers", "Health authorities", "Markets",
    "Police", "The central bank", "Researchers", "The WHO", "Airlines", "Hospitals", "Voters", "Tech giants" };
static const char *const hl_verb[] = { "warn of", "confirm", "report", "announce", "reject", "brace for", "investigate",
    "approve", "delay", "respond to" };
static const char *const hl_obj[] = { "new lockdown measures", "record job losses", "vaccine trial results",
    "a surge in cases", "emergency funding", "border closures", "election delays", "a data breach",
    "protests downtown", "interest rate cut", "school reopening plans", "oil price collapse", "travel restrictions" };
static const char *const camp_tags[] = { "ClimateStrikeOnline", "FridaysForFuture", "SaveOurLibraries", "ClapForCarers" };
static const char *const prodem_txt[] = { "光復香港，時代革命", "五大訴求，缺一不可", "香港人加油", "警察濫用暴力，必須獨立調查",
    "Stand with Hong Kong", "Free Hong Kong", "Hongkongers will not give up", "今晚見", "手足平安", "Hong Kong is not China's" };
static const char *const prodem_tags[] = { "StandWithHongKong", "香港", "HongKong", "反送中", "hongkong", "HKPoliceBrutality",
    "光復香港時代革命", "FreeHongKong" };
static const char *const spam_txt[] = { "Earn $500 a day from home with this simple trick", "Giveaway! Win a brand new phone, just follow and RT",
    "Top crypto signal of the week, 10x guaranteed", "Lose 10kg in 2 weeks, doctors hate this", "Free followers instantly, click here",
    "Limited offer: designer watches 90% off", "Get your COVID test kit delivered today" };
static const char *const spam_tags[] = { "giveaway", "crypto", "bitcoin", "money", "deal", "free", "win" };
static const char *const spam_domains[] = { "https://bit-profit.biz/go/", "https://win-prize-now.top/c/", "https://cheap-deals.shop/p/" };

/* Appends string s to b (with the NUL as content too when nul is set),
 * remembering any allocation failure.  Texts are built from many short
 * words: while the buffer has room the bytes are copied here, without a
 * length pass and two calls; what does not fit goes through ls__buf_put.
 * The buffer stays NUL-terminated either way. */
static inline void sput(ls__sim_text *t, ls__buf *b, const char *s, int nul)
{
    size_t n = strlen(s) + (nul != 0);
    if (b->p && b->cap - b->n > n) {
        memcpy(b->p + b->n, s, n);
        b->n += n;
        b->p[b->n] = '\0';
        return;
    }
    t->err |= ls__buf_put(b, s, n);
}
static inline void tput(ls__sim_text *t, const char *s) { sput(t, &t->text, s, 0); }
/* n bytes at s (a screen name, whose length the account record gives). */
static inline void tputn_fast(ls__sim_text *t, const char *s, size_t n)
{
    ls__buf *b = &t->text;
    if (b->p && b->cap - b->n > n) {
        memcpy(b->p + b->n, s, n);
        b->n += n;
        b->p[b->n] = '\0';
        return;
    }
    t->err |= ls__buf_put(b, s, n);
}

static void add_tag(ls__sim_text *t, const char *tag, int inline_text)
{
    if (inline_text) { tput(t, t->text.n ? " #" : "#"); tput(t, tag); }
    sput(t, &t->tags, tag, 1);
    t->n_tags++;
}

static void tco(ls__sim_text *t, ls__rng *r)
{
    static const char b62[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char code[10];
    /* The stream in a local: stores into code[] may alias *r, which kept
     * the state in memory, reloaded and stored at every draw. */
    ls__rng rr = *r;
    for (int i = 0; i < 10; i++) code[i] = b62[ls__rng_below(&rr, 62)];
    *r = rr;
    if (t->text.n) tputn_fast(t, " https://t.co/", 14);
    else tputn_fast(t, "https://t.co/", 13);
    tputn_fast(t, code, 10);
}

/* A link: the text gets a t.co short link, the urls list the expanded one. */
static void add_url(ls__sim_text *t, ls__rng *r, const char *url, size_t n)
{
    tco(t, r);
    ls__buf *b = &t->urls;
    if (b->p && b->cap - b->n > n + 1) {
        memcpy(b->p + b->n, url, n);
        b->n += n;
        b->p[b->n++] = '\0';
        b->p[b->n] = '\0';
    } else {
        t->err |= ls__buf_put(b, url, n);
        t->err |= ls__buf_putc(b, '\0');
    }
    t->n_urls++;
}

static void add_url_id(ls__sim_text *t, ls__rng *r, const char *prefix, uint64_t id)
{
    char u[256];
    add_url(t, r, u, (size_t)(ls__sim_hex(stpcpy(u, prefix), id, 1) - u));
}

/* Organic words: most of the text written.  The stream and the end of
 * the text are kept in locals for the loop (stores through a char
 * pointer may alias anything, so with the buffer's fields and the
 * stream's state in memory the compiler reloaded and stored them for
 * every word); room for the longest outcome is made once. */
static void words(ls__sim_text *t, ls__rng *r, int lang, int nmin, int nmax)
{
    ls__rng rr = *r;
    int n = nmin + (int)ls__rng_below(&rr, (uint64_t)(nmax - nmin + 1));
    int spaced = lang != L_ZH && lang != L_ZH_HANT && lang != L_JA && lang != L_TH;
    ls__buf *b = &t->text;
    /* A word takes at most WORD_W bytes (the copy stores all of them) and
     * its separator 3 ("，"); the last line at most 11, the NUL 1. */
    size_t room = (size_t)n * (WORD_W + 3) + WORD_W + 16;
    if (!b->p || b->cap - b->n <= room) {
        void *q = b->p;
        size_t cap = b->cap;
        if (ls__grow(&q, &cap, b->n + room + 1, 1)) { t->err |= LS_ERR_NOMEM; *r = rr; return; }
        b->p = q;
        b->cap = cap;
    }
    char *d = b->p + b->n;
    for (int i = 0; i < n; i++) {
        const char *w;
        switch (lang) {
        case L_ZH: w = PICK(&rr, w_zh); break;
        case L_ZH_HANT: w = PICK(&rr, w_hant); break;
        case L_JA: w = PICK(&rr, w_ja); break;
        case L_KO: w = PICK(&rr, w_ko); break;
        case L_ES: w = PICK(&rr, w_es); break;
        case L_FR: w = PICK(&rr, w_fr); break;
        case L_PT: w = PICK(&rr, w_pt); break;
        case L_TH: w = PICK(&rr, w_th); break;
        default: w = PICK(&rr, w_en);
        }
        if (i && (spaced || ls__rng_below(&rr, 4) == 0)) {
            if (spaced) *d++ = ' ';
            else { memcpy(d, "，", 3); d += 3; }
        }
#ifdef __SSE2__
        const __m128i z = _mm_setzero_si128();
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)w);
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(w + 16));
        _mm_storeu_si128((__m128i *)(void *)d, x);
        _mm_storeu_si128((__m128i *)(void *)(d + 16), y);
        /* The first NUL ends the word (a word filling the whole width
         * has none: C allows such an initializer). */
        uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, z)) |
                     (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(y, z)) << 16;
        d += m ? (size_t)__builtin_ctz(m) : WORD_W;
#else
        size_t k = strnlen(w, WORD_W);
        memcpy(d, w, k);
        d += k;
#endif
    }
    /* A few posts run over several lines: real archives quote them. */
    if (ls__rng_below(&rr, 30) == 0) {
        const char *last = lang == L_EN ? "that's all" : "🙂";
        size_t k = strlen(last);
        *d++ = '\n';
        memcpy(d, last, k);
        d += k;
    }
    *d = '\0';
    b->n = (size_t)(d - b->p);
    *r = rr;
}

static void narrative(ls__sim_text *t, ls__rng *r, int topic, int lang)
{
    const char *const *open = hk_open; size_t n_open = N_(hk_open);
    const char *const *subj, *const *pred, *const *end, *const *tags, *const *en;
    size_t ns, np, ne, nt, nen;
#define SET(a, b, c, d, e) subj = a; ns = N_(a); pred = b; np = N_(b); end = c; ne = N_(c); tags = d; nt = N_(d); en = e; nen = N_(e)
    switch (topic) {
    case T_OP_HK: SET(hk_subj, hk_pred, hk_end, hk_tags, hk_en); break;
    case T_OP_GUO: SET(guo_subj, guo_pred, guo_end, guo_tags, guo_en); break;
    case T_OP_COVID: SET(cov_subj, cov_pred, cov_end, cov_tags, cov_en); break;
    default: SET(tw_subj, tw_pred, tw_end, tw_tags, tw_en); break;
    }
#undef SET
    if (lang == L_EN) {
        tput(t, en[ls__rng_below(r, nen)]);
        tput(t, ls__rng_below(r, 2) ? "." : "!");
    } else {
        tput(t, open[ls__rng_below(r, n_open)]);
        tput(t, subj[ls__rng_below(r, ns)]);
        tput(t, pred[ls__rng_below(r, np)]);
        tput(t, end[ls__rng_below(r, ne)]);
    }
    tput(t, PICK(r, emo));
    int k = 1 + (int)ls__rng_below(r, 3);
    size_t first = ls__rng_below(r, nt);
    for (int i = 0; i < k && (size_t)i < nt; i++) add_tag(t, tags[(first + (size_t)i) % nt], 1);
    if (ls__rng_below(r, 12) == 0) add_url_id(t, r, "https://www.youtube.com/watch?v=", ls__rng_next(r) & 0xffffffffffULL);
}

static void headline(ls__sim_text *t, uint32_t article)
{
    ls__rng h;
    ls__rng_seed(&h, article, 77);
    tput(t, PICK(&h, hl_subj)); tput(t, " ");
    tput(t, PICK(&h, hl_verb)); tput(t, " ");
    tput(t, PICK(&h, hl_obj));
    if (ls__rng_below(&h, 3) == 0) { tput(t, " in "); tput(t, PICK(&h, ((const char *const[]){ "Europe", "Asia", "the US", "Brazil", "India", "Africa" }))); }
}

/* Content of an original post (or of a reply's or quote's own words). */
static void content(const ls__sim_world *w, const ls__sim_ev *e, ls__sim_text *t)
{
    ls__rng r;
    ls__rng_seed(&r, e->seed, 1000u + e->topic);
    char u[160];
    switch (e->topic) {
    case T_OP_HK: case T_OP_GUO: case T_OP_COVID: case T_OP_TW:
        narrative(t, &r, e->topic, e->lang);
        break;
    case T_CAMO:
        tput(t, PICK(&r, camo_txt));
        for (int i = 0, k = 1 + (int)ls__rng_below(&r, 3); i < k; i++) add_tag(t, PICK(&r, camo_tags), 1);
        break;
    case T_ORG:
        words(t, &r, e->lang, 3, 16);
        if (ls__rng_below(&r, 4) == 0) add_tag(t, PICK(&r, org_tags), 1);
        if (ls__rng_below(&r, 6) == 0) {
            const char *d = PICK(&r, org_domains);
            char *end = ls__sim_hex(stpcpy(u, d), ls__rng_next(&r) & 0xfffffffffULL, 1);
            add_url(t, &r, u, (size_t)(end - u));
        }
        break;
    case T_IDOL:
        tput(t, PICK(&r, idol_txt));
        tput(t, " 💜");
        add_tag(t, idol_names[e->aux % N_(idol_names)], 1);
        if (ls__rng_below(&r, 3) == 0) add_url_id(t, &r, "https://www.youtube.com/watch?v=", ls__rng_next(&r) & 0xffffffffffULL);
        break;
    case T_FANCHAT:
        tput(t, PICK(&r, fan_txt));
        add_tag(t, idol_names[e->aux % N_(idol_names)], 1);
        break;
    case T_NEWS: {
        if (e->aux & 0x100) tput(t, "BREAKING: ");
        headline(t, e->seed);
        const char *o = outlet_names[e->aux % N_(outlet_names)];
        int k = (int)(ls__sim_hex(stpcpy(stpcpy(stpcpy(u, "https://www."), o), ".com/news/2020/"), e->seed, 8) - u);
        for (int i = 0; i < k; i++) if (u[i] >= 'A' && u[i] <= 'Z') u[i] = (char)(u[i] + 32);
        add_url(t, &r, u, (size_t)k);
        break;
    }
    case T_CAMPAIGN:
        words(t, &r, L_EN, 4, 14);
        add_tag(t, camp_tags[e->aux % N_(camp_tags)], 1);
        if (ls__rng_below(&r, 2)) add_tag(t, camp_tags[(e->aux + 1) % N_(camp_tags)], 1);
        break;
    case T_BOT: {
        /* Same article, same headline and link for every bot: only the
         * style prefix (by bot) and the t.co wrapper differ. */
        uint32_t style = w->acct[e->user].group % 3;
        const char *o = outlet_names[(e->aux / 7) % N_(outlet_names)];
        if (style == 1) { tput(t, o); tput(t, ": "); }
        if (style == 2) tput(t, "📰 ");
        headline(t, e->aux);
        int k = (int)(ls__sim_utoa(stpcpy(stpcpy(stpcpy(u, "https://www."), o), ".com/a/"), e->aux) - u);
        for (int i = 0; i < k; i++) if (u[i] >= 'A' && u[i] <= 'Z') u[i] = (char)(u[i] + 32);
        add_url(t, &r, u, (size_t)k);
        break;
    }
    case T_LINK: {
        words(t, &r, e->lang, 2, 10);
        static const char *const hosts[] = { "https://www.youtube.com/watch?v=c", "https://community-",
            "https://www.twitch.tv/videos/", "https://soundcloud.com/crew" };
        const char *h = hosts[(e->aux >> 10) % N_(hosts)];
        char *q = ls__sim_utoa(stpcpy(u, h), e->aux >> 10);
        q = stpcpy(q, (e->aux >> 10) % N_(hosts) == 1 ? ".substack.com/p/" : "/");
        int k = (int)(ls__sim_hex(q, e->aux * 2654435761u, 1) - u);
        add_url(t, &r, u, (size_t)k);
        break;
    }
    case T_PRODEM:
        if (e->lang == L_EN) { tput(t, prodem_txt[4 + ls__rng_below(&r, N_(prodem_txt) - 4)]); words(t, &r, L_EN, 0, 6); }
        else { tput(t, PICK(&r, prodem_txt)); if (ls__rng_below(&r, 2)) { tput(t, "。"); words(t, &r, L_ZH_HANT, 2, 8); } }
        for (int i = 0, k = 1 + (int)ls__rng_below(&r, 3); i < k; i++) add_tag(t, PICK(&r, prodem_tags), 1);
        break;
    case T_SPAM: {
        /* The pasted message depends on the message number only. */
        ls__rng m;
        ls__rng_seed(&m, e->aux, 99);
        tput(t, PICK(&m, spam_txt));
        add_tag(t, PICK(&m, spam_tags), 1);
        add_tag(t, PICK(&m, spam_tags), 1);
        const char *d = PICK(&m, spam_domains);
        int k = (int)(ls__sim_utoa(stpcpy(u, d), e->aux) - u);
        add_url(t, &r, u, (size_t)k);
        if (ls__rng_below(&r, 4) == 0) tput(t, PICK(&r, emo));
        break;
    }
    default:
        words(t, &r, L_EN, 3, 8);
    }
}

static void mention(ls__sim_text *t, uint32_t acct)
{
    if (t->n_mention < 4) t->mention[t->n_mention++] = acct;
}

int ls__sim_text_of(const ls__sim_world *w, size_t i, ls__sim_text *t)
{
    t->text.n = t->tags.n = t->urls.n = 0;
    t->n_tags = t->n_urls = t->n_mention = 0;
    t->err = 0;
    const ls__sim_ev *e = &w->ev[i];
    if (e->type == EV_RT && e->ref != LS__NONE) {
        const ls__sim_ev *o = &w->ev[e->ref];
        tput(t, "RT @");
        tputn_fast(t, LS__SIM_NAME(w, o->user), LS__SIM_NAME_LEN(w, o->user));
        tput(t, ": ");
        mention(t, o->user);
        content(w, o, t);
    } else if (e->type == EV_REPLY && e->ref != LS__NONE) {
        uint32_t ru = w->ev[e->ref].user;
        tput(t, "@");
        tputn_fast(t, LS__SIM_NAME(w, ru), LS__SIM_NAME_LEN(w, ru));
        tput(t, " ");
        mention(t, w->ev[e->ref].user);
        content(w, e, t);
    } else {
        content(w, e, t);
        if (e->type == EV_QUOTE && e->ref != LS__NONE) {
            /* At most 95 bytes (a fixed buffer once); names are far shorter. */
            char u[96];
            ls__rng r;
            ls__rng_seed(&r, e->seed, 5);
            const char *name = w->names.p + w->acct[w->ev[e->ref].user].name_off;
            size_t k;
            if (strlen(name) <= 40) {
                char *q = ls__sim_utoa(stpcpy(stpcpy(stpcpy(u, "https://twitter.com/"), name), "/status/"),
                                 w->id ? w->id[e->ref] : 0);
                k = (size_t)(q - u);
            } else {
                char big[160];
                k = (size_t)snprintf(big, sizeof big, "https://twitter.com/%s/status/%llu", name,
                                     (unsigned long long)(w->id ? w->id[e->ref] : 0));
                k = LS__MIN(k, sizeof u - 1);
                memcpy(u, big, k);
            }
            add_url(t, &r, u, k);
        }
    }
    return t->err ? LS_ERR_NOMEM : LS_OK;
}

void ls__sim_text_free(ls__sim_text *t)
{
    ls__buf_free(&t->text);
    ls__buf_free(&t->tags);
    ls__buf_free(&t->urls);
}
