// server/main.cpp: the askonce executable.
#include <iostream>

#include "server/cli/cli.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return askonce::cli::run({argv + 1, argv + argc}, std::cout, std::cerr);
}
