#!/bin/sh
# report_xss.sh — report.html against hostile data, checked in a real
# browser.  A run folder and a store are built by hand whose posts, names,
# descriptions, URLs, evidence lines and networks.json strings are XSS
# payloads (script tags, event handlers, javascript: URLs, "</script>",
# U+2028/U+2029, broken UTF-8, elements that load from 127.0.0.1).  The
# report is opened in headless Chromium and the test asserts that
#   - the page's own script ran to its end (so its CSP hash is right and
#     the embedded JSON parsed), marked by data-ls-ready="1";
#   - no payload script ran: every payload builds its marker ("PWNED",
#     data-pwned="x1") by concatenation, so the marker text appears in the
#     DOM only if a payload executed;
#   - no network request went out: Chromium's net log never mentions the
#     payloads' 127.0.0.1 port.
# Control pages with the same payloads unescaped prove that the browser
# harness does see executed scripts and requests, so the test can fail.
# Chromium is required: when it is missing and cannot be installed, the
# test FAILS (it never skips).
. "$(dirname "$0")/lib.sh"

# ---- the browser ----
CHROME=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" > /dev/null 2>&1; then CHROME=$(command -v "$c"); break; fi
done
if [ -z "$CHROME" ] && [ "$(id -u)" = 0 ]; then
    sh "$(dirname "$0")/../../scripts/deps.sh" chromium > "$TMP/deps.log" 2>&1 || true
    command -v chromium > /dev/null 2>&1 && CHROME=$(command -v chromium)
fi
if [ -z "$CHROME" ]; then
    fail report_xss_chromium "headless Chromium is needed (Debian package 'chromium'; scripts/deps.sh installs it as root)"
    exit 0
fi
pass report_xss_chromium

PORT=47813
# browse FILE DOM_OUT NETLOG: loads FILE in a fresh profile, dumps the DOM.
browse() {
    prof=$(mktemp -d)
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-extensions --user-data-dir="$prof" \
        --log-net-log="$3" --net-log-capture-mode=Everything \
        --virtual-time-budget=3000 --dump-dom "file://$1" > "$2" 2> "$TMP/chrome.err"
    st=$?
    rm -rf "$prof"
    return $st
}

# ---- hostile data ----
U2028=$(printf '\342\200\250')
U2029=$(printf '\342\200\251')
BAD=$(printf '\377\376\342\200')          # invalid bytes, then a cut-off sequence
S1="<script>document.title='PW'+'NED'</script>"
S2="<img src=x onerror=\"\"document.title='PW'+'NED'\"\">"       # doubled quotes: CSV field
S3="</script><script>document.documentElement.setAttribute('data-pwned','x'+'1')</script>"
S4="\"\"><svg onload=document.title='PW'+'NED'>"
S5="' onmouseover='document.title=1' x='"
NET="<img src=\"\"http://127.0.0.1:$PORT/img\"\"><link rel=stylesheet href=\"\"http://127.0.0.1:$PORT/css\"\"><style>@import url(http://127.0.0.1:$PORT/imp);</style><iframe src=\"\"http://127.0.0.1:$PORT/frame\"\"></iframe><base href=\"\"http://127.0.0.1:$PORT/\"\">"
META="<meta http-equiv=\"\"refresh\"\" content=\"\"0;url=http://127.0.0.1:$PORT/refresh\"\">"
JSURL="<iframe src=\"\"javascript:parent.document.title='PW'+'NED'\"\"></iframe><a href=\"\"javascript:document.title='PW'+'NED'\"\">x</a>"

H="tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,retweet_count,hashtags,urls,user_mentions,poll_choices"
{
    echo "$H"
    # row: tweetid userid display screen location description url text time rt(True/False) rt_user rt_tweet hashtags urls
    echo "1250000000000000001,u1,\"$S1$BAD\",\"x$S2\",\"$META\",\"$NET$U2028$U2029\",javascript:alert(1),0,5,2020-01-13,en,en,\"$S1 $S2 $S3 $S4 $S5 $NET $META $JSURL $BAD$U2028 #tag\",2020-04-25 01:00,\"<b>app</b>$S1\",,,,False,,,absent,absent,0,0,0,9,\"['x$S3', 'ok']\",\"['javascript:document.title=1', 'http://127.0.0.1:$PORT/link\"\"onmouseover=x', 'https://example.org/a?b=<script>']\",[],"
    echo "1250000000000000002,u2,\"$S4\",\"y$U2028\",,\"$S3\",http://127.0.0.1:$PORT/profile,3,5,2020-01-13,en,en,\"RT @x: $S3 $U2029 $BAD\",2020-04-25 01:01,app,,,,True,u1,1250000000000000001,absent,absent,0,0,0,0,\"['x$S3']\",[],[],"
    echo "1250000000000000003,u3,z,\"$S5\",,,,1,5,2020-01-14,en,en,\"$JSURL <!-- <![CDATA[ $S1\",2020-04-25 02:00,app,,,,False,,,absent,absent,0,0,0,1,[],\"['http://127.0.0.1:$PORT/click', 'data:text/html,<script>alert(1)</script>']\",[],"
    echo "1250000000000000004,u4,w,plain_name,,,,1,5,2020-01-14,en,en,\"RT @x: $S1\",2020-04-25 02:01,app,,,,True,u1,1250000000000000001,absent,absent,0,0,0,0,[],[],[],"
} > "$TMP/tweets.csv"
"$LOCKSTEP" ingest -o "$TMP/x.store" "$TMP/tweets.csv" > "$TMP/ingest.out" 2>&1
check_cmd report_xss_ingest 0 "$LOCKSTEP" info "$TMP/x.store"

RUN=$TMP/run
mkdir -p "$RUN"
{
    echo "userid,screen_name,network,role,score,evidence"
    echo "u1,\"x$S2\",\"N1$S1\",core,0.91,\"$S3 $U2028 $U2029 $BAD $S1\""
    echo "u2,\"y$U2028\",\"N1$S1\",amplifier,0.80,\"$S4 $NET\""
    echo "u3,\"$S5\",\"N1$S1\",core,0.70,\"$JSURL $META\""
    echo "u4,plain_name,N2,core,0.60,ok"
} > "$RUN/accounts.csv"
printf 'source,target,weight\nu1,u2,2\nu1,u3,1\n' > "$RUN/edges.csv"
# networks.json is JSON, so its strings are valid UTF-8 (json escapes).
JS1='<script>document.title=\u0027PW\u0027+\u0027NED\u0027</script>'
JS3='</script><script>document.documentElement.setAttribute(\u0027data-pwned\u0027,\u0027x\u0027+\u00271\u0027)</script>'
cat > "$RUN/networks.json" <<EOF
{"run": {"store": "$TMP/x.store"},
 "networks": [
  {"id": "N1$JS1", "accounts": 3, "core": 2, "amplifiers": 1, "score": 0.9,
   "signals": {"$JS1": 0.5, "name_template": "$JS3 \u2028 \u2029"},
   "facts": {"top_client": {"client": "$JS1"}},
   "traction": {"sentence": "little traction $JS1 $JS3 \u2028"},
   "linked": [{"archive": "$JS3", "score": 0.7, "reasons": ["$JS1", "<img src=http://127.0.0.1:$PORT/reason>"]}],
   "narratives": {"hashtags": [{"hashtag": "$JS1", "count": 3}], "terms": ["$JS3"],
                  "domains": ["<img src=http://127.0.0.1:$PORT/dom>"],
                  "groups": [{"label": "$JS3", "share": 0.5, "terms": ["$JS1"], "per_day": {"2020-04-25": 2}}]}},
  {"id": "N2", "accounts": 1, "core": 1, "amplifiers": 0, "score": 0.6}
 ]}
EOF

check_cmd report_xss_generate 0 "$LOCKSTEP" report "$RUN"
R=$RUN/report.html
[ -s "$R" ] || { fail report_xss_written "no $R"; exit 0; }

# ---- static checks on the file ----
n=$(grep -o '<script' "$R" | wc -l)
if [ "$n" -eq 2 ]; then pass report_xss_two_scripts; else fail report_xss_two_scripts "$n <script elements, expected 2 (data block and the page's own)"; fi
check_grep report_xss_csp "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-" "$R"
# The CSP hashes are the SHA-256 of the exact <style> and <script> bodies
# (recomputed here with coreutils; the browser check below proves the same
# for the script by running it).
b64sha() {
    sha256sum | cut -c1-64 | LC_ALL=C awk '{ h = "0123456789abcdef"
        for (i = 1; i < 64; i += 2)
            printf "%c", (index(h, substr($0, i, 1)) - 1) * 16 + index(h, substr($0, i + 1, 1)) - 1 }' | base64
}
css=$(sed -n 's/^<style>\(.*\)<\/style>$/\1/p' "$R" | tr -d '\n' | b64sha)
js=$(sed -n 's/^<script>\(.*\)<\/script>$/\1/p' "$R" | tr -d '\n' | b64sha)
if grep -q "style-src 'sha256-$css'; script-src 'sha256-$js';" "$R"; then pass report_xss_csp_hashes; else
    fail report_xss_csp_hashes "computed style $css script $js; $(grep -o "style-src[^;]*; script-src[^;]*" "$R")"; fi
if grep -qi 'href="javascript:\|src="javascript:\|href="data:' "$R"; then fail report_xss_no_js_links "a javascript:/data: URL became a link"; else pass report_xss_no_js_links; fi
if grep -q "<a href=\"http://127.0.0.1:$PORT/click\" rel=\"noopener noreferrer nofollow\">" "$R"; then pass report_xss_http_link; else fail report_xss_http_link "the plain http URL is not a link"; fi
# Every line break in the JSON data block is escaped.
sed -n '/<script type="application\/json"/,/<\/script>/p' "$R" > "$TMP/data"
if grep -q "$U2028\|$U2029" "$TMP/data"; then fail report_xss_json_u2028 "raw U+2028/9 in the script data"; else pass report_xss_json_u2028; fi
if grep -q '</script><script>' "$TMP/data"; then fail report_xss_json_lt "raw </script> in the script data"; else pass report_xss_json_lt; fi
# Same input, same bytes.
cp "$R" "$TMP/first.html"
"$LOCKSTEP" report "$RUN" > /dev/null 2>&1
check_same report_xss_deterministic "$R" "$TMP/first.html"

# ---- control: the harness sees scripts and requests when they happen ----
cat > "$TMP/control.html" <<EOF
<!DOCTYPE html><html><head><title>c</title></head><body>
<script>document.title='PW'+'NED'</script>
<img src="http://127.0.0.1:$PORT/control">
</body></html>
EOF
browse "$TMP/control.html" "$TMP/control.dom" "$TMP/control.netlog"
if grep -q PWNED "$TMP/control.dom" && grep -q "127.0.0.1:$PORT" "$TMP/control.netlog"; then
    pass report_xss_control
else
    fail report_xss_control "the browser harness did not see the control page's script or request: $(head -c 300 "$TMP/chrome.err")"
fi

# ---- the report in the browser ----
browse "$R" "$TMP/report.dom" "$TMP/report.netlog"
if grep -q 'data-ls-ready="1"' "$TMP/report.dom"; then pass report_xss_own_script_ran; else
    fail report_xss_own_script_ran "the page's own script did not run (CSP hash or JSON wrong?): $(head -c 300 "$TMP/chrome.err")"; fi
if grep -q 'PWNED\|data-pwned="x1"' "$TMP/report.dom"; then fail report_xss_no_payload_ran "a payload script ran"; else pass report_xss_no_payload_ran; fi
if grep -q '<title>lockstep report</title>' "$TMP/report.dom"; then pass report_xss_title; else fail report_xss_title "title changed"; fi
if [ -s "$TMP/report.netlog" ] && ! grep -q "127.0.0.1:$PORT" "$TMP/report.netlog"; then
    pass report_xss_no_requests
else
    fail report_xss_no_requests "the report made a request (or no net log): $(grep -o "127.0.0.1:$PORT[^\"]*" "$TMP/report.netlog" | sort -u | head -5)"
fi
