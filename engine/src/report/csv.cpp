#include <ostream>
#include <string>
#include <string_view>

#include "report/counts.hpp"
#include "stance/report.hpp"

namespace stance {

namespace {

// RFC 4180 ends every record with CRLF, including the last; spreadsheet tools and Python's csv
// module expect it.
constexpr std::string_view kLineEnd = "\r\n";

void write_field(std::ostream& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out << field;
    return;
  }
  out << '"';
  for (const char c : field) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

}  // namespace

void write_csv(std::ostream& out, const StanceMatrix& matrix) {
  constexpr Stance kStances[] = {Stance::demand, Stance::accept, Stance::reject};
  const auto& actors = matrix.actors();
  const auto& issues = matrix.issues();

  write_field(out, "actor");
  for (const std::string& issue : issues) {
    for (const Stance stance : kStances) {
      out << ',';
      write_field(out, issue + ':' + std::string(to_string(stance)));
    }
  }
  out << kLineEnd;

  for (std::size_t a = 0; a < actors.size(); ++a) {
    write_field(out, actors[a]);
    for (std::size_t i = 0; i < issues.size(); ++i) {
      for (const Stance stance : kStances) {
        out << ',' << report_internal::count_at(matrix, a, i, stance);
      }
    }
    out << kLineEnd;
  }
}

}  // namespace stance
