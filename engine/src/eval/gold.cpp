// Reading gold files (CODING-SCHEME.md, "File format"): one passage per JSON object.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <system_error>

#include "stance/eval.hpp"

namespace stance {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool is_gold_file_name(const std::string& name) {
  return name.ends_with(".gold.json") || name.ends_with(".gold.jsonl");
}

// Thrown while converting one passage; caught per passage so one bad line spoils nothing else.
struct BadPassage {
  std::string message;
};

std::string optional_string(const json& object, const char* key, const std::string& where) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return {};
  if (!found->is_string()) throw BadPassage{where + "\"" + key + "\" must be a string"};
  return found->get<std::string>();
}

std::string required_string(const json& object, const char* key, const std::string& where) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) {
    throw BadPassage{where + "\"" + key + "\" must be a string"};
  }
  return found->get<std::string>();
}

std::vector<GoldTriple> read_triples(const json& passage, const char* key, bool required) {
  std::vector<GoldTriple> triples;
  const auto list = passage.find(key);
  if (list == passage.end() || list->is_null()) {
    if (required) throw BadPassage{std::string("no \"") + key + "\" list"};
    return triples;
  }
  if (!list->is_array()) throw BadPassage{std::string("\"") + key + "\" must be a list"};
  std::size_t index = 0;
  for (const auto& item : *list) {
    const std::string where = std::string(key) + "[" + std::to_string(index++) + "]: ";
    if (!item.is_object()) throw BadPassage{where + "must be an object"};
    GoldTriple triple;
    triple.actor = required_string(item, "actor", where);
    triple.issue = required_string(item, "issue", where);
    const std::string stance_text = required_string(item, "stance", where);
    const auto stance = parse_stance(stance_text);
    if (!stance) {
      throw BadPassage{where + "stance must be demand, accept or reject, not '" + stance_text + "'"};
    }
    if (triple.actor.empty() || triple.issue.empty()) throw BadPassage{where + "empty actor or issue"};
    triple.stance = *stance;
    triple.evidence = optional_string(item, "evidence", where);
    triple.note = optional_string(item, "note", where);
    triple.reported_by = optional_string(item, "reported_by", where);
    triples.push_back(std::move(triple));
  }
  return triples;
}

GoldPassage to_passage(const json& object) {
  if (!object.is_object()) throw BadPassage{"a gold passage must be a JSON object"};
  GoldPassage passage;
  passage.id = required_string(object, "id", "");
  if (passage.id.empty()) throw BadPassage{"empty \"id\""};
  passage.text = required_string(object, "text", "");
  passage.date = optional_string(object, "date", "");
  passage.source = optional_string(object, "source", "");
  passage.url = optional_string(object, "url", "");
  passage.title = optional_string(object, "title", "");
  passage.gold = read_triples(object, "gold", true);
  passage.optional = read_triples(object, "optional", false);
  return passage;
}

class GoldReader {
 public:
  explicit GoldReader(GoldReadResult& out) : out_(out) {}

  void read_path(const std::string& path) {
    std::error_code error;
    const auto status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found) return fail(path, 0, "no such file or directory");
    if (error) return fail(path, 0, "cannot access: " + error.message());
    if (fs::is_directory(status)) return read_directory(path);
    read_file(path);
  }

 private:
  void read_directory(const std::string& path) {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(path, error)) {
      if (entry.is_regular_file() && is_gold_file_name(entry.path().filename().string())) {
        files.push_back(entry.path());
      }
    }
    if (error) return fail(path, 0, "cannot list: " + error.message());
    if (files.empty()) return fail(path, 0, "no gold files (*.gold.json, *.gold.jsonl) in this directory");
    std::sort(files.begin(), files.end());
    for (const auto& file : files) read_file(file.string());
  }

  void read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(path, 0, "cannot open");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    if (auto bad = first_invalid_utf8(bytes)) {
      out_.errors.push_back({path, 0, *bad, "not valid UTF-8"});
      return;
    }
    // A whole-file parse first, so that a pretty-printed *.gold.json (one object over many lines)
    // or a JSON array of passages also reads; JSON Lines with two or more passages fails it.
    const json whole = json::parse(bytes, nullptr, false);
    if (!whole.is_discarded()) {
      if (whole.is_array()) {
        for (const auto& item : whole) add(item, path, 0, InputError::no_offset);
      } else {
        add(whole, path, 1, 0);
      }
      return;
    }
    std::size_t line_number = 0, offset = 0;
    std::istringstream lines(bytes);
    std::string line;
    while (std::getline(lines, line)) {
      ++line_number;
      const std::size_t line_offset = offset;
      offset += line.size() + 1;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json object;
      try {
        object = json::parse(line);
      } catch (const json::parse_error& e) {
        out_.errors.push_back({path, line_number, line_offset + (e.byte > 0 ? e.byte - 1 : 0),
                               "not valid JSON: " + std::string(e.what())});
        continue;
      }
      add(object, path, line_number, line_offset);
    }
  }

  void add(const json& object, const std::string& path, std::size_t line, std::size_t offset) {
    try {
      GoldPassage passage = to_passage(object);
      passage.origin = line > 0 ? path + ":" + std::to_string(line) : path;
      if (!ids_.insert(passage.id).second) {
        out_.errors.push_back({path, line, offset, "duplicate passage id '" + passage.id + "' (skipped)"});
        return;
      }
      out_.passages.push_back(std::move(passage));
    } catch (const BadPassage& bad) {
      out_.errors.push_back({path, line, offset, bad.message});
    } catch (const json::exception& e) {
      out_.errors.push_back({path, line, offset, e.what()});
    }
  }

  void fail(const std::string& path, std::size_t line, std::string message) {
    out_.errors.push_back({path, line, InputError::no_offset, std::move(message)});
  }

  GoldReadResult& out_;
  std::set<std::string> ids_;  // passage ids are the unit of comparison, so they must be unique
};

}  // namespace

GoldReadResult read_gold(const std::vector<std::string>& paths) {
  GoldReadResult result;
  GoldReader reader(result);
  for (const auto& path : paths) reader.read_path(path);
  return result;
}

Article to_article(const GoldPassage& passage) {
  Article article;
  article.id = passage.id;
  article.date = passage.date;
  article.source = passage.source;
  article.url = passage.url;
  article.title = passage.title;
  article.text = passage.text;
  article.origin = passage.origin;
  return article;
}

}  // namespace stance
