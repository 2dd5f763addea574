#!/bin/sh
# network.sh — golden tests of `lockstep network`, `why` and `profile` on a
# small QUT-format input: the QUT-compatible CSV byte for byte, self-loops,
# hostile ids in GraphML, raw files as input, thread and memory
# independence, evidence and profiles, and usage errors.
. "$(dirname "$0")/lib.sh"

cat > "$TMP/q.csv" <<'CSV'
message_id,user_id,username,repost_id,reply_id,message,timestamp,urls
100,ua,alice,rt0,,"RT one",1600000000,""
101,ub,bob,rt0,,"RT two",1600000060,""
102,uc,carol,rt1,,"RT three",1600000060,""
103,ud,dave,rt1,,"RT four",1600000070,""
104,uc,carol,rt2,,"x",1600000070,""
105,ud,dave,rt2,,"y",1600000131,""
106,ue,eve,rt3,,"z",1600000030,""
107,"u,f<&>""x",frank,rt3,,"w",1600000089,""
108,ug,gus,rt5,,"a",1600000042,""
109,ug,gus,rt5,,"b",1600000052,""
110,ua,alice,,,"Hello @bob world http://x.com/a",1600000100,"http://x.com/a"
111,ub,bob,,,"hello   world",1600000120,"http://x.com/a"
CSV
check_cmd ingest 0 "$LOCKSTEP" ingest -q "$TMP/q.csv" -o "$TMP/q.lss"

check_cmd qut_coretweet 0 "$LOCKSTEP" network co_retweet --compat qut --window 60 -q "$TMP/q.lss" -o "$TMP/rt.csv"
printf '"source","target","weight","edge_type"\r\n"u,f<&>""x","ue","1","co_retweet"\r\n"ua","ub","1","co_retweet"\r\n"ub","ua","1","co_retweet"\r\n"uc","ud","1","co_retweet"\r\n"ud","uc","1","co_retweet"\r\n"ue","u,f<&>""x","1","co_retweet"\r\n' > "$TMP/rt.want"
check_same qut_coretweet_csv "$TMP/rt.csv" "$TMP/rt.want"

# Δt = 59 s: ua-ub are exactly 60 s apart and drop out.
"$LOCKSTEP" network co_retweet --compat qut --window 59 -q "$TMP/q.lss" -o "$TMP/rt59.csv"
if grep -q '"ua"' "$TMP/rt59.csv"; then fail window_inclusive "ua-ub kept at 59 s"; else pass window_inclusive; fi

"$LOCKSTEP" network co_retweet --compat qut --include-self-loops -q "$TMP/q.lss" -o "$TMP/loops.csv"
check_grep self_loop '"ug","ug","2","co_retweet"' "$TMP/loops.csv"

# QUT text key keeps the URL, so 110 and 111 differ; ours drops it.
"$LOCKSTEP" network co_tweet --compat qut -q "$TMP/q.lss" -o "$TMP/tw.csv"
check_same qut_cotweet_url_kept "$TMP/tw.csv" /dev/stdin <<EOF2
$(printf '"source","target","weight","edge_type"\r')
EOF2
"$LOCKSTEP" network co_tweet -q "$TMP/q.lss" -o "$TMP/tw2.csv"
check_grep cotweet_default 'ua,ub,1,' "$TMP/tw2.csv"

# Raw input file instead of a store: same result.
check_cmd raw_input 0 "$LOCKSTEP" network co_retweet --compat qut --window 60 -q "$TMP/q.csv" -o "$TMP/rt_raw.csv"
check_same raw_input_same "$TMP/rt_raw.csv" "$TMP/rt.want"

# Threads and a tiny memory budget do not change a byte.
"$LOCKSTEP" network all --threads 1 -q "$TMP/q.lss" -o "$TMP/all1.csv"
"$LOCKSTEP" network all --threads 2 --memory 1 -q "$TMP/q.lss" -o "$TMP/all2.csv"
check_same threads_memory_identical "$TMP/all2.csv" "$TMP/all1.csv"
check_grep evidence_column 'ua,ub,.*,post rt0$' "$TMP/all1.csv"
check_grep all_layers 'ua,ub,.*co_retweet+co_tweet+co_similar_tweet+co_link+co_domain' "$TMP/all1.csv"

"$LOCKSTEP" network co_retweet --format graphml -q "$TMP/q.lss" -o "$TMP/g.graphml"
check_grep graphml_escaped '<data key="name">u,f&lt;&amp;&gt;&quot;x</data>' "$TMP/g.graphml"
"$LOCKSTEP" network co_retweet --format gexf -q "$TMP/q.lss" -o "$TMP/g.gexf"
check_grep gexf_escaped 'label="u,f&lt;&amp;&gt;&quot;x"' "$TMP/g.gexf"

"$LOCKSTEP" why "$TMP/q.lss" ua @bob > "$TMP/why.out"
check_grep why_layer '^co_retweet: 1 object within 60 s' "$TMP/why.out"
check_grep why_times 'B post 101 at 2020-09-13 12:27:40 (+60.000 s)' "$TMP/why.out"
check_grep why_link 'http://x.com/a' "$TMP/why.out"
check_cmd why_unknown 1 "$LOCKSTEP" why "$TMP/q.lss" ua nobody

"$LOCKSTEP" profile "$TMP/q.lss" @alice > "$TMP/prof.out"
check_grep profile_template 'template aaaaa (shape a), shared by 3 accounts' "$TMP/prof.out"
check_grep profile_posts 'posts        2 (1 retweets' "$TMP/prof.out"
"$LOCKSTEP" profile "$TMP/q.lss" --csv "$TMP/nodes.csv"
check_grep profile_csv '^"u,f<&>""x",frank,1,' "$TMP/nodes.csv"

"$LOCKSTEP" network co_retweet -q "$TMP/q.lss" -o "$TMP/e.csv" --nodes "$TMP/n.csv"
check_grep nodes_table '^ua,alice,2,0.5000,' "$TMP/n.csv"
if grep -q '^ug,' "$TMP/n.csv"; then fail nodes_only_graph "ug has no edge"; else pass nodes_only_graph; fi
check_cmd usage_type 2 "$LOCKSTEP" network co_nothing "$TMP/q.lss" -o "$TMP/x.csv"
check_cmd usage_type_in_list 2 "$LOCKSTEP" network co_retweet,co_nothing "$TMP/q.lss" -o "$TMP/x.csv"
check_cmd usage_type_empty_item 2 "$LOCKSTEP" network co_retweet,,co_link "$TMP/q.lss" -o "$TMP/x.csv"
if [ -e "$TMP/x.csv" ]; then fail usage_no_output "x.csv written"; else pass usage_no_output; fi
"$LOCKSTEP" network co_retweet,co_link,co_retweet "$TMP/q.lss" -o "$TMP/two.csv" 2> "$TMP/two.err"
check_grep layer_list_dedup_retweet '^co_retweet: ' "$TMP/two.err"
if [ "$(grep -c '^co_retweet: ' "$TMP/two.err")" = 1 ]; then pass layer_list_once; else fail layer_list_once "$(cat "$TMP/two.err")"; fi
check_cmd why_bad_layer 2 "$LOCKSTEP" why "$TMP/q.lss" ua @bob --layer co_nothing
"$LOCKSTEP" why "$TMP/q.lss" ua @bob --layer co_link > "$TMP/why2.out"
if grep -q '^co_retweet' "$TMP/why2.out"; then fail why_layer_only "$(cat "$TMP/why2.out")"; else pass why_layer_only; fi
check_cmd profile_unknown 1 "$LOCKSTEP" profile "$TMP/q.lss" @nobody
check_cmd usage_output 2 "$LOCKSTEP" network co_retweet "$TMP/q.lss"
check_cmd usage_loops 2 "$LOCKSTEP" network co_retweet --include-self-loops "$TMP/q.lss" -o "$TMP/x.csv"
check_cmd usage_window 2 "$LOCKSTEP" network co_retweet --window -1 "$TMP/q.lss" -o "$TMP/x.csv"
check_cmd missing_store 3 "$LOCKSTEP" network co_retweet "$TMP/none.lss" -o "$TMP/x.csv"

# Raw files are ingested with only the post fields the requested layers
# read (texts, hashtags, links, images, profiles left out when unused):
# every layer, format and the node table must come out byte for byte as
# from the full store, on simulated IO-archive tweets + users files and
# API v1 JSON (mentions, hashtags, links, quotes, replies, profiles).
for fmt in io v1; do
    rm -rf "$TMP/sim"
    "$LOCKSTEP_REL" simulate --scale 0.001 --seed 5 --format $fmt -o "$TMP/sim" > /dev/null 2>&1 || fail "projection_setup_$fmt"
    set -- "$TMP/sim/tweets."* "$TMP/sim/users.csv"
    "$LOCKSTEP" ingest -q "$@" -o "$TMP/p.lss" 2> /dev/null
    ok=1; edges=0
    for spec in co_retweet co_retweet/graphml co_tweet,co_similar_tweet co_link,co_domain co_hashtag,co_mention co_reply,co_quote all; do
        out=${spec#*/}; [ "$out" = "$spec" ] && out=csv
        spec=${spec%/*}
        {
            "$LOCKSTEP" network "$spec" --format "$out" --window 600 -q "$TMP/p.lss" -o "$TMP/p_store.out" 2> /dev/null
            "$LOCKSTEP" network "$spec" --format "$out" --window 600 -q "$@" -o "$TMP/p_raw.out" 2> /dev/null
            cmp -s "$TMP/p_store.out" "$TMP/p_raw.out" || { ok=0; echo "  $fmt $spec $out differs" >&2; }
            [ "$out" = csv ] && [ "$(wc -l < "$TMP/p_raw.out")" -gt 10 ] && edges=$((edges + 1))
        }
    done
    "$LOCKSTEP" network co_retweet --compat qut --window 600 -q "$TMP/p.lss" -o "$TMP/p_store.out" --nodes "$TMP/p_store.nodes" 2> /dev/null
    "$LOCKSTEP" network co_retweet --compat qut --window 600 -q "$@" -o "$TMP/p_raw.out" --nodes "$TMP/p_raw.nodes" 2> /dev/null
    cmp -s "$TMP/p_store.out" "$TMP/p_raw.out" && cmp -s "$TMP/p_store.nodes" "$TMP/p_raw.nodes" || { ok=0; echo "  $fmt nodes differ" >&2; }
    # Most layers have edges here, so the comparison means something.
    [ $edges -ge 6 ] || { ok=0; echo "  $fmt: only $edges layer specs with over 10 edges" >&2; }
    if [ $ok = 1 ]; then pass "projection_same_$fmt"; else fail "projection_same_$fmt"; fi
done

# Without names (csv, no node table) "RT @name" targets are not resolved
# to accounts: the retweets' edges must not change, known name or not.
cat > "$TMP/rtname.csv" <<'CSV'
message_id,user_id,username,repost_id,reply_id,message,timestamp,urls
1,ua,alice,,,"hello",1600000000,""
2,ub,bob,1,,"RT @alice: hello",1600000010,""
3,uc,carol,1,,"RT @alice: hello",1600000020,""
4,ud,dave,9,,"RT @nobody: hi",1600000030,""
5,ue,eve,9,,"RT @nobody: hi",1600000040,""
6,ua,alice,9,,"RT @Nobody: hi",1600000050,""
CSV
"$LOCKSTEP" ingest -q "$TMP/rtname.csv" -o "$TMP/rtname.lss"
for args in "co_retweet" "co_retweet --compat qut" "all --window 5"; do
    "$LOCKSTEP" network $args -q "$TMP/rtname.lss" -o "$TMP/rtn_store.csv"
    "$LOCKSTEP" network $args -q "$TMP/rtname.csv" -o "$TMP/rtn_raw.csv"
    check_same "rt_name_projection_$(echo $args | tr ' -' '__')" "$TMP/rtn_raw.csv" "$TMP/rtn_store.csv"
done
"$LOCKSTEP" network co_retweet -q "$TMP/rtname.csv" -o "$TMP/rtn_raw.csv"
# bob-carol on post 1; dave, eve and alice on post 9.
if [ "$(grep -c ',co_retweet,' "$TMP/rtn_raw.csv")" = 4 ]; then pass rt_name_edges; else fail rt_name_edges "$(cat "$TMP/rtn_raw.csv")"; fi
