// Indirect calls: a tiny register bytecode VM whose every instruction is a call through a
// function pointer (call_indirect in wasm). The program counts Collatz steps for 1..N and hashes
// the trajectory. Stresses indirect calls, small functions and unpredictable dispatch.
#include "bench.h"

typedef struct Vm Vm;
typedef struct Instr Instr;
// A handler runs one instruction and returns the next one (NULL halts).
typedef const Instr* (*Handler)(Vm*, const Instr*);

struct Instr {
  Handler run;
  int32_t a, b, c;
};

struct Vm {
  uint32_t reg[8];
  const Instr* code;
};

enum Op { LOADI, MOV, ADDI, MULI, ANDI, SHRI, XOR, MUL, JEQ, JZ, JLT, JMP, HALT };

static const Instr* op_loadi(Vm* vm, const Instr* i) {
  vm->reg[i->a] = (uint32_t)i->b;
  return i + 1;
}
static const Instr* op_mov(Vm* vm, const Instr* i) {
  vm->reg[i->a] = vm->reg[i->b];
  return i + 1;
}
static const Instr* op_addi(Vm* vm, const Instr* i) {
  vm->reg[i->a] = vm->reg[i->b] + (uint32_t)i->c;
  return i + 1;
}
static const Instr* op_muli(Vm* vm, const Instr* i) {
  vm->reg[i->a] = vm->reg[i->b] * (uint32_t)i->c;
  return i + 1;
}
static const Instr* op_andi(Vm* vm, const Instr* i) {
  vm->reg[i->a] = vm->reg[i->b] & (uint32_t)i->c;
  return i + 1;
}
static const Instr* op_shri(Vm* vm, const Instr* i) {
  vm->reg[i->a] = vm->reg[i->b] >> i->c;
  return i + 1;
}
static const Instr* op_xor(Vm* vm, const Instr* i) {
  vm->reg[i->a] = vm->reg[i->b] ^ vm->reg[i->c];
  return i + 1;
}
static const Instr* op_mul(Vm* vm, const Instr* i) {
  vm->reg[i->a] = vm->reg[i->b] * vm->reg[i->c];
  return i + 1;
}
static const Instr* op_jeq(Vm* vm, const Instr* i) {
  return vm->reg[i->a] == vm->reg[i->b] ? vm->code + i->c : i + 1;
}
static const Instr* op_jz(Vm* vm, const Instr* i) {
  return vm->reg[i->a] == 0 ? vm->code + i->c : i + 1;
}
static const Instr* op_jlt(Vm* vm, const Instr* i) {
  return vm->reg[i->a] < vm->reg[i->b] ? vm->code + i->c : i + 1;
}
static const Instr* op_jmp(Vm* vm, const Instr* i) { return vm->code + i->c; }
static const Instr* op_halt(Vm* vm, const Instr* i) {
  (void)vm, (void)i;
  return NULL;
}

static const Handler handlers[] = {op_loadi, op_mov, op_addi, op_muli, op_andi, op_shri, op_xor,
                                   op_mul,   op_jeq, op_jz,   op_jlt,  op_jmp,  op_halt};

// Registers: r0 = n, r1 = limit, r2 = total steps, r3 = x, r4 = scratch, r5 = 1, r6 = hash,
// r7 = hash multiplier.
static const int32_t program[][4] = {
    /*  0 */ {LOADI, 0, 1, 0},
    /*  1 */ {LOADI, 2, 0, 0},
    /*  2 */ {LOADI, 5, 1, 0},
    /*  3 */ {LOADI, 6, 0, 0},
    /*  4 */ {LOADI, 7, 0x01000193, 0},
    /*  5 */ {MOV, 3, 0, 0},   // next_n: x = n
    /*  6 */ {JEQ, 3, 5, 17},  // loop: x == 1? goto done_n
    /*  7 */ {ANDI, 4, 3, 1},
    /*  8 */ {JZ, 4, 0, 12},   // even? goto even
    /*  9 */ {MULI, 3, 3, 3},  // x = 3x + 1
    /* 10 */ {ADDI, 3, 3, 1},
    /* 11 */ {JMP, 0, 0, 13},
    /* 12 */ {SHRI, 3, 3, 1},  // even: x >>= 1
    /* 13 */ {XOR, 6, 6, 3},   // hash = (hash ^ x) * prime
    /* 14 */ {MUL, 6, 6, 7},
    /* 15 */ {ADDI, 2, 2, 1},  // steps++
    /* 16 */ {JMP, 0, 0, 6},
    /* 17 */ {ADDI, 0, 0, 1},  // done_n: n++
    /* 18 */ {JLT, 0, 1, 5},   // n < limit? goto next_n
    /* 19 */ {HALT, 0, 0, 0},
};

#define CODE_LEN (sizeof program / sizeof program[0])
static Instr code[CODE_LEN];

// Built at run time from the opcode table, so the compiler cannot devirtualize the dispatch.
static void assemble(void) {
  for (size_t k = 0; k < CODE_LEN; k++) {
    code[k].run = handlers[program[k][0]];
    code[k].a = program[k][1];
    code[k].b = program[k][2];
    code[k].c = program[k][3];
  }
}

static uint64_t run(int limit) {
  assemble();
  Vm vm = {{0}, code};
  vm.reg[1] = (uint32_t)limit;  // the program's LOADIs leave r1 alone
  const Instr* ip = vm.code;
  while (ip) ip = ip->run(&vm, ip);
  uint64_t sum = bench_mix(bench_mix(0, vm.reg[2]), vm.reg[6]);
  return sum;
}

BENCH_MAIN(run, 30000, 200)
