/*
 * params.h — the simulator's parameter table.  One X-macro row per
 * parameter: identifier, name used by --set, default for the june2020
 * scenario at scale 1, and a one-line meaning.  The same table gives the
 * enum, the defaults, `--list-params` and the checks in ls_sim_set, so a
 * parameter cannot exist in one place and be missing in another.
 * docs/simulator.md gives the published figure or the reasoning behind
 * each default.
 *
 * Counts of accounts are multiplied by `scale` (at least a small floor so
 * every group exists at tiny scales); per-account rates, delays, shares and
 * the number of events in time (idol posts, news moments) are not.
 */
#ifndef LS_SIM_PARAMS_H
#define LS_SIM_PARAMS_H

#define LS_SIM_PARAMS(X)                                                                  \
    X(P_SCALE, "scale", 1.0, "multiplier on every account count")                          \
    X(P_DAYS, "days", 84, "length of the simulated window in days (from 2020-03-02 UTC)")   \
    /* the June 2020 operation */                                                         \
    X(P_OP_CORE, "op_core_accounts", 23750, "core (posting) accounts of the operation")    \
    X(P_OP_CORE_TWEETS, "op_core_tweets", 348608, "tweets by core accounts, retweets included") \
    X(P_OP_CORE_RT, "op_core_rt_share", 0.35, "share of core tweets that retweet a cell-mate's post") \
    X(P_OP_CELL, "op_cell_size", 25, "core accounts run together by one operator shift")    \
    X(P_OP_PUSH, "op_push_share", 0.08, "share of core posts a cell retweets together")    \
    X(P_OP_CELL_DELAY, "op_cell_delay_s", 40, "median delay (s) of a cell-mate retweet")     \
    X(P_OP_CELL_SIGMA, "op_cell_delay_sigma", 1.0, "log-normal sigma of cell retweet delays") \
    X(P_OP_AMP, "op_amplifiers", 150000, "amplifier accounts")                               \
    X(P_OP_AMP_ACTIONS, "op_amp_actions", 6, "mean actions per amplifier (at least 3, the first two amplify)")       \
    X(P_OP_AMP_DELAY, "op_amp_delay_s", 150, "median delay (s) of an amplifier retweet")     \
    X(P_OP_AMP_SIGMA, "op_amp_delay_sigma", 1.3, "log-normal sigma of amplifier delays")     \
    X(P_OP_AMP_CAMO, "op_amp_camouflage", 0.15, "share of amplifier actions that are camouflage") \
    X(P_OP_CORE_CAMO, "op_core_camouflage", 0.08, "share of core tweets that are camouflage") \
    X(P_OP_HK, "op_share_hongkong", 0.34, "share of operation posts about Hong Kong")        \
    X(P_OP_GUO, "op_share_guo", 0.26, "share about Guo Wengui")                              \
    X(P_OP_COVID, "op_share_covid", 0.25, "share about COVID-19 (the rest: Taiwan)")         \
    X(P_OP_EN, "op_share_english", 0.15, "share of operation posts in English")              \
    X(P_OP_ZERO_FOL, "op_zero_followers", 0.78, "share of operation accounts with 0 followers") \
    X(P_OP_UNDER8, "op_under8_followers", 0.95, "share with fewer than 8 followers")         \
    X(P_OP_COHORTS, "op_cohorts", 14, "account-creation cohorts of the operation")           \
    X(P_OP_COHORT_DAYS, "op_cohort_spread_days", 3, "spread (days) of one creation cohort")  \
    X(P_OP_OLD, "op_old_accounts", 0.10, "share of older, repurposed operation accounts")    \
    X(P_OP_DIGITS, "op_digit_names", 0.80, "share of operation screen names name+8 digits")  \
    X(P_OP_OVERTIME, "op_overtime", 0.07, "share of core posts in the evening (19-23 UTC+8)") \
    X(P_OP_WEEKEND, "op_weekend", 0.04, "share of core posts on weekends")                   \
    X(P_OP_OUTSIDE, "op_outside_engagement", 0.0005, "share of organic retweets/replies that hit operation posts") \
    /* the August 2019 network, written to archive/ */                                     \
    X(P_ARC_CORE, "arc_accounts", 936, "accounts of the archived August 2019 network")      \
    X(P_ARC_TWEETS, "arc_tweets_per_account", 40, "archived tweets kept per account")        \
    X(P_HASHED, "hashed_ids", 0, "IO files: 0 numeric user ids, 1 base64 (2020 releases), 2 hex (older) for accounts under 5,000 followers") \
    /* the second operation: copy-paste spam */                                            \
    X(P_SPAM, "spam_accounts", 2000, "accounts of the copy-paste spam operation")          \
    X(P_SPAM_TWEETS, "spam_tweets_per_account", 30, "mean tweets per spam account")         \
    X(P_SPAM_BURST, "spam_burst_share", 0.35, "share of the spam network posting one message") \
    X(P_SPAM_WINDOW, "spam_burst_minutes", 12, "minutes over which one message is posted")  \
    X(P_SPAM_RT, "spam_rt_share", 0.05, "share of spam tweets that are retweets")           \
    /* the organic population */                                                           \
    X(P_ORG, "organic_accounts", 600000, "ordinary accounts")                                \
    X(P_ORG_MIN, "organic_min_tweets", 2.7, "Pareto x_min of tweets per organic account")    \
    X(P_ORG_ALPHA, "organic_alpha", 1.5, "Pareto exponent of tweets per organic account")    \
    X(P_ORG_RT, "organic_rt_share", 0.45, "share of organic tweets that are retweets")       \
    X(P_ORG_REPLY, "organic_reply_share", 0.13, "share that are replies")                    \
    X(P_ORG_QUOTE, "organic_quote_share", 0.05, "share that are quotes")                     \
    X(P_ORG_DELAY, "organic_delay_s", 1200, "median organic retweet delay (s)")             \
    X(P_ORG_SIGMA, "organic_delay_sigma", 2.2, "log-normal sigma of organic delays")        \
    X(P_ORG_DIGITS, "organic_digit_names", 0.14, "share of organic names ending in digits") \
    X(P_ORG_UTC8, "organic_utc8", 0.12, "share of organic accounts in UTC+8")               \
    X(P_ORG_ZERO_FOL, "organic_zero_followers", 0.08, "share of organic accounts with 0 followers") \
    /* look-alikes that must not be flagged */                                             \
    X(P_FAN_IDOLS, "fandom_idols", 4, "idol accounts (not scaled)")                          \
    X(P_FAN, "fandom_fans", 20000, "fans")                                                  \
    X(P_FAN_POSTS, "fandom_idol_posts_per_day", 1.5, "posts per idol per day")              \
    X(P_FAN_P, "fandom_rt_prob", 0.3, "mean chance a fan retweets an idol post")            \
    X(P_FAN_DELAY, "fandom_delay_s", 80, "median delay (s) of a fan retweet")               \
    X(P_FAN_SIGMA, "fandom_delay_sigma", 1.1, "log-normal sigma of fan delays")             \
    X(P_NEWS_MOMENTS, "news_moments", 14, "breaking-news moments (not scaled)")              \
    X(P_NEWS_POOL, "news_pool", 40000, "accounts that retweet breaking news")               \
    X(P_NEWS_SIZE, "news_moment_share", 0.08, "mean share of the pool retweeting one moment") \
    X(P_NEWS_DELAY, "news_delay_s", 70, "median delay (s) of a breaking-news retweet")      \
    X(P_NEWS_SIGMA, "news_delay_sigma", 1.0, "log-normal sigma of breaking-news delays")   \
    X(P_CAMP, "campaign_accounts", 5000, "participants of a grassroots hashtag campaign")   \
    X(P_CAMP_STORMS, "campaign_storms", 4, "announced tweet-storms (not scaled)")           \
    X(P_BOTS, "newsbot_accounts", 300, "authentic automated news aggregators")               \
    X(P_BOT_ARTICLES, "newsbot_articles_per_day", 150, "articles published per day (not scaled)") \
    X(P_LINK, "linkshare_accounts", 6000, "members of link-sharing communities")            \
    X(P_LINK_COMM, "linkshare_community_size", 150, "members per community")                \
    X(P_OPP, "opposite_accounts", 15000, "pro-democracy Hong Kong community (other side)")  \
    X(P_OPP_LEADERS, "opposite_leaders", 40, "activist accounts the community retweets (scaled)") \
    X(P_OPP_DELAY, "opposite_delay_s", 300, "median delay (s) of a community retweet")      \
    X(P_OPP_SIGMA, "opposite_delay_sigma", 1.6, "log-normal sigma of community delays")

typedef enum {
#define LS__PENUM(id, name, def, doc) id,
    LS_SIM_PARAMS(LS__PENUM)
#undef LS__PENUM
    P_COUNT
} ls__sim_param;

#endif /* LS_SIM_PARAMS_H */
