// Float formatting through wasi-libc's printf: many conversions and flags, over edge values
// (zeros, infinities, NaN, denormals, extremes, rounding ties). Output must match node's run.
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char* const kFormats[] = {
    "%f", "%.0f", "%.1f", "%.17f",  "%e",       "%.0e", "%.3E", "%g",    "%.17g", "%G",
    "%a", "%A",   "%.3a", "%12.4f", "%-12.4f|", "%+f",  "% e",  "%#.0f", "%#g",   "%010.3f",
};

static void show(const char* label, double v) {
  printf("%-10s", label);
  for (size_t i = 0; i < sizeof kFormats / sizeof kFormats[0]; i++) {
    putchar(' ');
    printf(kFormats[i], v);
  }
  putchar('\n');
}

int main(void) {
  volatile double zero = 0.0;
  struct {
    const char* label;
    double v;
  } values[] = {
      {"zero", 0.0},
      {"negzero", -0.0},
      {"one", 1.0},
      {"tenth", 0.1},
      {"third", 1.0 / 3.0},
      {"pi", M_PI},
      {"neg", -2.5},
      {"half", 0.5},
      {"1.5", 1.5},
      {"2.5", 2.5},
      {"big", 1e300},
      {"small", 1e-300},
      {"dblmax", DBL_MAX},
      {"dblmin", DBL_MIN},
      {"denorm", 4.9406564584124654e-324},
      {"fltmax", FLT_MAX},
      {"fltmin", FLT_MIN},
      {"2^53", 9007199254740993.0},
      {"inf", 1.0 / zero},
      {"neginf", -1.0 / zero},
      {"nan", zero / zero},
      {"1e21", 1e21},
      {"123456.789", 123456.789},
      {"0.000123", 0.000123},
  };
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) show(values[i].label, values[i].v);

  // Width and precision from arguments, and floats promoted from float.
  float f = 3.14159274f;
  printf("star: [%*.*f] [%-*.*e] [%.*g]\n", 12, 3, (double)f, 14, 2, -f * 1e10, 4, 1.0 / 7);

  // Round trips through strtod: the shortest %.17g prints back to the same bits.
  const char* inputs[] = {
      "0.1", "1e-320", "2.2250738585072011e-308", "179769313486231570e290", "-0",
      "inf", "nan",    "0x1.fffffffffffffp+1023", "1.00000000000000011"};
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    double d = strtod(inputs[i], NULL);
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", d);
    double back = strtod(buf, NULL);
    printf("strtod %-26s -> %-26s %a %s\n", inputs[i], buf, d,
           (back == d || (isnan(back) && isnan(d))) ? "same" : "DIFFERENT");
  }

  // Long double is a 128-bit soft float on wasm32: its printf path is all integer arithmetic.
  long double ld = 1.0L / 3.0L;
  printf("long double: %.30Lf %Le %La\n", ld, ld * 1e100L, ld);

  // Math library results printed exactly (hex floats compare bits).
  double xs[] = {0.5, 2.0, 10.0, 1e-5, 123.456};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
    printf("math %g: sqrt %a exp %a log %a sin %a pow %a\n", xs[i], sqrt(xs[i]), exp(xs[i]),
           log(xs[i]), sin(xs[i]), pow(xs[i], 1.5));
  return 0;
}
