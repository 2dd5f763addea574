# lockstep — build, demo, tests, fuzzing and benchmarks.
#
#   make demo    install missing Debian packages, build, run the main job
#   make check   the same set-up, then every test (ASan+UBSan build, golden
#                CLI tests, fuzz corpus replay); last line "N passed, N failed"
#   make bench   benchmarks; figures go to docs/benchmarks.md
#   make fuzz    run each libFuzzer target for FUZZ_SECONDS
#
# Dependencies are Debian packages found with pkg-config; scripts/deps.sh
# installs the missing ones when run as root.

PKGS     = zlib libzstd libarchive jansson libxxhash igraph sqlite3 libutf8proc icu-uc icu-i18n libsodium
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CC      ?= cc
WARN     = -Wall -Wextra -Werror -Wno-unused-parameter
BASEFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude $(WARN) $(PKG_CFLAGS)
CFLAGS_REL  = $(BASEFLAGS) -O2 -g -pthread
CFLAGS_ASAN = $(BASEFLAGS) -O1 -g -pthread -fno-omit-frame-pointer \
              -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDLIBS   = $(PKG_LIBS) -lm -lpthread
ASAN_CC  = clang

LIB_SRC  := $(shell find src -name '*.c' -not -path 'src/cli/*' | sort)
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

REL_LIB_OBJ  := $(LIB_SRC:%.c=build/obj/%.o)
REL_CLI_OBJ  := $(CLI_SRC:%.c=build/obj/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=build-asan/obj/%.o)
ASAN_CLI_OBJ := $(CLI_SRC:%.c=build-asan/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-asan/fuzz/%)

.PHONY: all deps demo check test bench fuzz quality tsan clean
all: build/lockstep

deps:
	@sh scripts/deps.sh

Q = $(if $(V),,@)

build/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_REL) -MMD -MP -c $< -o $@

build-asan/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC-ASAN $<")
	$(Q)$(ASAN_CC) $(CFLAGS_ASAN) -MMD -MP -c $< -o $@

build/liblockstep.a: $(REL_LIB_OBJ)
	@rm -f $@; ar rcsP $@ $^

build-asan/liblockstep.a: $(ASAN_LIB_OBJ)
	@mkdir -p $(dir $@); rm -f $@; ar rcsP $@ $^

build/lockstep: $(REL_CLI_OBJ) build/liblockstep.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS_REL) -o $@ $(REL_CLI_OBJ) build/liblockstep.a $(LDLIBS)

build-asan/lockstep: $(ASAN_CLI_OBJ) build-asan/liblockstep.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(ASAN_CC) $(CFLAGS_ASAN) -o $@ $(ASAN_CLI_OBJ) build-asan/liblockstep.a $(LDLIBS)

build-asan/tests/%: tests/unit/%.c build-asan/liblockstep.a tests/unit/test.h
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  TEST    $@")
	$(Q)$(ASAN_CC) $(CFLAGS_ASAN) -Isrc -o $@ $< build-asan/liblockstep.a $(LDLIBS)

# Fuzz targets are linked with libFuzzer; given files instead of a corpus
# folder they run each input once, which is how `make check` replays them.
build-asan/fuzz/%: tests/fuzz/%.c build-asan/liblockstep.a $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  FUZZ    $@")
	$(Q)$(ASAN_CC) $(CFLAGS_ASAN) -fsanitize=fuzzer -Isrc -o $@ $< build-asan/liblockstep.a $(LDLIBS)

DEMO_SCALE ?= 0.02
demo: build/lockstep
	@sh scripts/demo.sh build/lockstep

test check: build/lockstep build-asan/lockstep $(UNIT_BIN) $(FUZZ_BIN)
	@sh tests/run.sh

# Coverage-guided fuzzing needs the library itself instrumented for
# libFuzzer (-fsanitize=fuzzer-no-link), so `make fuzz` uses its own build
# folder; `make check` only replays the corpora and uses build-asan/.
FUZZ_SECONDS ?= 60
CFLAGS_FUZZ = $(CFLAGS_ASAN) -fsanitize=fuzzer-no-link
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build-fuzz/obj/%.o)
FUZZ_RUN_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/fuzz/%)

build-fuzz/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC-FUZZ $<")
	$(Q)$(ASAN_CC) $(CFLAGS_FUZZ) -MMD -MP -c $< -o $@

build-fuzz/liblockstep.a: $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@); rm -f $@; ar rcsP $@ $^

build-fuzz/fuzz/%: tests/fuzz/%.c build-fuzz/liblockstep.a $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  FUZZ    $@")
	$(Q)$(ASAN_CC) $(CFLAGS_ASAN) -fsanitize=fuzzer -Isrc -o $@ $< build-fuzz/liblockstep.a $(LDLIBS)

fuzz: $(FUZZ_RUN_BIN)
	@for f in $(FUZZ_RUN_BIN); do n=$$(basename $$f); mkdir -p build-fuzz/corpus/$$n; \
	  echo "fuzzing $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 build-fuzz/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

bench: build/lockstep
	@sh bench/run.sh build/lockstep

# Detection quality over seeds, scales and simulator variations;
# writes docs/quality.md.
quality: build/lockstep
	@sh scripts/deps.sh python3
	@sh scripts/quality.sh build/lockstep

# ThreadSanitizer: the whole program built with -fsanitize=thread, run on
# the multi-threaded paths (scripts/tsan.sh); not part of check (a third
# full build).
TSAN_OBJ := $(LIB_SRC:%.c=build-tsan/obj/%.o) $(CLI_SRC:%.c=build-tsan/obj/%.o)
build-tsan/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC-TSAN $<")
	$(Q)$(ASAN_CC) $(BASEFLAGS) -O1 -g -pthread -fsanitize=thread -MMD -MP -c $< -o $@

build-tsan/lockstep: $(TSAN_OBJ)
	$(Q)$(ASAN_CC) -fsanitize=thread -pthread -o $@ $(TSAN_OBJ) $(LDLIBS)

tsan: build-tsan/lockstep build/lockstep
	@sh scripts/tsan.sh build-tsan/lockstep build/lockstep

clean:
	rm -rf build build-asan build-fuzz build-tsan

-include $(TSAN_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d) $(REL_LIB_OBJ:.o=.d) $(REL_CLI_OBJ:.o=.d) $(ASAN_LIB_OBJ:.o=.d) $(ASAN_CLI_OBJ:.o=.d)
