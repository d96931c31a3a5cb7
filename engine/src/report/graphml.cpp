// GraphML: the actor-issue bipartite graph (Gephi, networkx, igraph, yEd all read it). One edge
// per non-empty cell, its weight the signed net position.
#include <map>
#include <ostream>
#include <string>
#include <string_view>

#include "report/format.hpp"
#include "stance/report.hpp"

namespace stance {

namespace {

using report_internal::number;
using report_internal::xml_escape;

struct Key {
  const char* id;
  const char* domain;  // node | edge
  const char* type;    // string | int | double | boolean
};

constexpr Key kKeys[] = {
    {"label", "node", "string"},
    {"type", "node", "string"},
    {"affiliation", "node", "string"},
    {"proposition", "node", "string"},
    {"records", "node", "int"},
    {"net", "node", "double"},
    {"polarisation", "node", "double"},
    {"weight", "edge", "double"},
    {"sign", "edge", "int"},
    {"records", "edge", "int"},
    {nullptr, "edge", "int"},  // one key per stance, named as to_string(Stance) names it
    {"dominant", "edge", "string"},
    {"contested", "edge", "boolean"},
    {"evidence", "edge", "string"},
};

// Keys are named "<domain>_<id>" so node and edge attributes of the same name stay distinct.
void write_data(std::ostream& out, std::string_view domain, std::string_view key,
                std::string_view value) {
  out << "      <data key=\"" << domain << '_' << key << "\">" << xml_escape(value) << "</data>\n";
}

// The affiliation an actor is most often coded with (ties: the smallest id), for a node attribute.
std::map<std::string, std::string> usual_affiliations(const Analysis& analysis) {
  std::map<std::string, std::map<std::string, std::size_t>> seen;
  for (const StanceRecord& record : analysis.records()) {
    if (!record.affiliation.empty()) ++seen[record.actor][record.affiliation];
  }
  std::map<std::string, std::string> usual;
  for (const auto& [actor, counts] : seen) {
    std::size_t best = 0;
    for (const auto& [affiliation, n] : counts) {
      if (n > best) {
        best = n;
        usual[actor] = affiliation;
      }
    }
  }
  return usual;
}

}  // namespace

void write_graphml(std::ostream& out, const Analysis& analysis, const ReportContext& context) {
  const Slice& slice = analysis.overall();
  const StanceMatrix& matrix = slice.matrix;
  const bool by_affiliation = analysis.options().rows == RowKind::affiliation;
  const std::string row_type(to_string(analysis.options().rows));
  const auto affiliations = usual_affiliations(analysis);

  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
         "         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
         "         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  auto declare = [&out](std::string_view id, std::string_view domain, std::string_view type) {
    out << "  <key id=\"" << domain << '_' << id << "\" for=\"" << domain << "\" attr.name=\"" << id
        << "\" attr.type=\"" << type << "\"/>\n";
  };
  for (const Key& key : kKeys) {
    if (key.id != nullptr) {
      declare(key.id, key.domain, key.type);
      continue;
    }
    for (const Stance stance : {Stance::demand, Stance::accept, Stance::reject}) declare(to_string(stance), key.domain, key.type);
  }
  out << "  <graph id=\"stance\" edgedefault=\"undirected\">\n";

  // Node ids carry their kind, so an actor and an issue with the same id stay two nodes.
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    const std::string& id = matrix.actors()[a];
    double records = 0.0;
    double net_sum = 0.0;
    std::size_t issues = 0;
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      const CellStats cell = matrix.cell(a, i);
      if (cell.empty()) continue;
      records += cell.total_count();
      net_sum += cell.net().value_or(0.0);
      ++issues;
    }
    out << "    <node id=\"" << row_type << ':' << xml_escape(id) << "\">\n";
    const auto name = context.actor_names.find(id);
    write_data(out, "node", "label", name != context.actor_names.end() ? name->second : id);
    write_data(out, "node", "type", row_type);
    if (!by_affiliation) {
      const auto affiliation = affiliations.find(id);
      if (affiliation != affiliations.end()) {
        write_data(out, "node", "affiliation", affiliation->second);
      }
    }
    write_data(out, "node", "records", number(records, 0));
    write_data(out, "node", "net", number(issues ? net_sum / static_cast<double>(issues) : 0.0, 4));
    out << "    </node>\n";
  }
  const auto polarisation = analysis.polarisation();
  for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
    const std::string& id = matrix.issues()[i];
    double records = 0.0;
    for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
      records += matrix.cell(a, i).total_count();
    }
    out << "    <node id=\"issue:" << xml_escape(id) << "\">\n";
    write_data(out, "node", "label", id);
    write_data(out, "node", "type", "issue");
    const auto proposition = context.issue_propositions.find(id);
    if (proposition != context.issue_propositions.end()) {
      write_data(out, "node", "proposition", proposition->second);
    }
    write_data(out, "node", "records", number(records, 0));
    if (i < polarisation.size() && polarisation[i].issue == id) {
      write_data(out, "node", "net", number(polarisation[i].mean_net, 4));
      write_data(out, "node", "polarisation", number(polarisation[i].polarisation, 4));
    }
    out << "    </node>\n";
  }

  std::size_t edge = 0;
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      const CellStats cell = matrix.cell(a, i);
      if (cell.empty()) continue;
      out << "    <edge id=\"e" << ++edge << "\" source=\"" << row_type << ':'
          << xml_escape(matrix.actors()[a])
          << "\" target=\"issue:" << xml_escape(matrix.issues()[i]) << "\">\n";
      write_data(out, "edge", "weight", number(cell.net().value_or(0.0), 4));
      write_data(out, "edge", "sign", std::to_string(cell.side()));
      write_data(out, "edge", "records", number(cell.total_count(), 0));
      for (const Stance stance : {Stance::demand, Stance::accept, Stance::reject}) {
        write_data(out, "edge", to_string(stance), number(cell.count(stance), 0));
      }
      write_data(out, "edge", "dominant", report_internal::dominant_name(cell));
      write_data(out, "edge", "contested", cell.contested() ? "true" : "false");
      std::string evidence;
      for (const std::size_t index : slice.evidence(a, i)) {
        if (!evidence.empty()) evidence += ' ';
        evidence += std::to_string(index + 1);
      }
      write_data(out, "edge", "evidence", evidence);
      out << "    </edge>\n";
    }
  }
  out << "  </graph>\n</graphml>\n";
}

}  // namespace stance
