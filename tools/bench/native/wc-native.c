/*
 * The native reference for the benchmark: counts words by the `whitespace` rule (runs
 * between ASCII whitespace, ASCII letters lowercased, other bytes kept) in an open-addressing
 * hash table, reading the file in 64 KiB blocks. Prints "words distinct".
 * Built by tools/bench/run.mjs with `cc -O2`; not part of any stage.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint32_t hash;
  uint32_t offset; /* into the arena, +1; 0 marks an empty slot */
  uint32_t length;
  uint64_t count;
} Slot;

static Slot *slots;
static size_t slot_count = 1 << 16, used;
static unsigned char *arena;
static size_t arena_length, arena_capacity = 1 << 20;

static void *checked(void *pointer) {
  if (!pointer) {
    fputs("wc-native: out of memory\n", stderr);
    exit(1);
  }
  return pointer;
}

static void grow(void) {
  size_t bigger = slot_count * 2;
  Slot *table = checked(calloc(bigger, sizeof(Slot)));
  for (size_t index = 0; index < slot_count; index++) {
    if (!slots[index].offset) continue;
    size_t at = slots[index].hash & (bigger - 1);
    while (table[at].offset) at = (at + 1) & (bigger - 1);
    table[at] = slots[index];
  }
  free(slots);
  slots = table;
  slot_count = bigger;
}

static void add(const unsigned char *word, uint32_t length, uint32_t hash) {
  size_t at = hash & (slot_count - 1);
  while (slots[at].offset) {
    Slot *slot = &slots[at];
    if (slot->hash == hash && slot->length == length && memcmp(arena + slot->offset - 1, word, length) == 0) {
      slot->count++;
      return;
    }
    at = (at + 1) & (slot_count - 1);
  }
  while (arena_length + length > arena_capacity) arena = checked(realloc(arena, arena_capacity *= 2));
  memcpy(arena + arena_length, word, length);
  slots[at] = (Slot){hash, (uint32_t)arena_length + 1, length, 1};
  arena_length += length;
  if (++used * 2 > slot_count) grow();
}

int main(int argc, char **argv) {
  FILE *input = argc > 1 ? fopen(argv[1], "rb") : stdin;
  if (!input) {
    perror("wc-native");
    return 2;
  }
  slots = checked(calloc(slot_count, sizeof(Slot)));
  arena = checked(malloc(arena_capacity));
  unsigned char separator[256] = {0}, lower[256];
  for (int byte = 0; byte < 256; byte++) lower[byte] = (byte >= 'A' && byte <= 'Z') ? byte + 32 : byte;
  separator[' '] = separator['\t'] = separator['\n'] = separator['\v'] = separator['\f'] = separator['\r'] = 1;

  static unsigned char block[1 << 16];
  unsigned char *word = checked(malloc(1 << 16));
  size_t word_capacity = 1 << 16, length = 0, read;
  uint32_t hash = 2166136261u;
  uint64_t words = 0;
  while ((read = fread(block, 1, sizeof block, input)) > 0) {
    for (size_t index = 0; index < read; index++) {
      unsigned char byte = block[index];
      if (separator[byte]) {
        if (length) {
          add(word, (uint32_t)length, hash);
          words++;
          length = 0;
          hash = 2166136261u;
        }
        continue;
      }
      if (length == word_capacity) word = checked(realloc(word, word_capacity *= 2));
      word[length++] = lower[byte];
      hash = (hash ^ lower[byte]) * 16777619u;
    }
  }
  if (length) {
    add(word, (uint32_t)length, hash);
    words++;
  }
  printf("%llu %zu\n", (unsigned long long)words, used);
  return 0;
}
