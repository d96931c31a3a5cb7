#include "stance/rule_pack.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>

#include "rules/compiled_pack.hpp"

namespace stance {
namespace {

// Diagnostics in file order (the order files were read), then line and column; exact repeats
// (one bad title combined with several aliases, say) are shown once.
void put_in_file_order(std::vector<Diagnostic>& diagnostics, const std::vector<std::string>& shown_files) {
  std::map<std::string, int> order;
  for (std::size_t i = 0; i < shown_files.size(); ++i) order.emplace(shown_files[i], static_cast<int>(i));
  auto rank = [&](const Diagnostic& d) {
    auto found = order.find(d.file);
    return found == order.end() ? -1 : found->second;
  };
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    return std::make_tuple(rank(a), a.line, a.column) < std::make_tuple(rank(b), b.line, b.column);
  });
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return a.file == b.file && a.line == b.line && a.column == b.column && a.severity == b.severity && a.message == b.message;
  };
  diagnostics.erase(std::unique(diagnostics.begin(), diagnostics.end(), same), diagnostics.end());
}

RulePack::LoadResult load_pack(const std::filesystem::path& directory, bool exhaustive, const ModelCacheOptions& cache) {
  RulePack::LoadResult result;
  try {
    rules::ModelLoad model = rules::load_model(directory, cache);
    result.diagnostics = std::move(model.diagnostics);
    for (const auto& f : model.model.files) result.files.push_back(f.string());
    const std::vector<std::string> shown = model.model.shown_files;
    // Loading stops at the first broken file's errors; checking goes on to find the rest.
    if (exhaustive || !has_errors(result.diagnostics)) {
      detail::CompileResult compiled = detail::compile(std::move(model.model), detail::CompileOptions{exhaustive});
      result.diagnostics.insert(result.diagnostics.end(), compiled.diagnostics.begin(), compiled.diagnostics.end());
      put_in_file_order(result.diagnostics, shown);
      if (!has_errors(result.diagnostics)) result.pack = std::make_shared<const RulePack>(std::move(compiled.pack));
    } else {
      put_in_file_order(result.diagnostics, shown);
    }
  } catch (const std::exception& e) {  // never let a rule pack take the program down
    result.pack = nullptr;
    result.diagnostics.push_back({directory.string(), 0, 0, Severity::error, std::string("cannot load rule pack: ") + e.what()});
  }
  return result;
}

}  // namespace

RulePack::RulePack(std::shared_ptr<const detail::CompiledPack> compiled) : compiled_(std::move(compiled)) {}

RulePack::LoadResult RulePack::load(const std::filesystem::path& directory) {
  return load_pack(directory, false, default_model_cache_options());
}

RulePack::LoadResult RulePack::load(const std::filesystem::path& directory, const ModelCacheOptions& cache) {
  return load_pack(directory, false, cache);
}

RulePack::LoadResult RulePack::check(const std::filesystem::path& directory) {
  return load_pack(directory, true, default_model_cache_options());
}

RulePack::LoadResult RulePack::check(const std::filesystem::path& directory, const ModelCacheOptions& cache) {
  return load_pack(directory, true, cache);
}

const std::vector<ActorInfo>& RulePack::actors() const { return compiled_->actors; }
const std::vector<IssueInfo>& RulePack::issues() const { return compiled_->issues; }
std::string RulePack::id() const { return compiled_->id; }
std::string RulePack::fingerprint() const { return compiled_->fingerprint; }
const std::vector<std::string>& RulePack::files() const { return compiled_->files; }
const std::vector<ExampleInfo>& RulePack::examples() const { return compiled_->example_infos; }

const ActorInfo* RulePack::find_actor(std::string_view id) const {
  auto found = compiled_->actor_index.find(std::string(id));
  return found == compiled_->actor_index.end() ? nullptr : &compiled_->actors[static_cast<std::size_t>(found->second)];
}

const IssueInfo* RulePack::find_issue(std::string_view id) const {
  auto found = compiled_->issue_index.find(std::string(id));
  return found == compiled_->issue_index.end() ? nullptr : &compiled_->issues[static_cast<std::size_t>(found->second)];
}

std::filesystem::path default_rules_directory() {
  if (const char* env = std::getenv("STANCE_RULES"); env && *env) return env;
  // Relative to the working folder when it is inside the source tree, so messages stay short.
  const auto path = std::filesystem::path(STANCE_SOURCE_DIR) / "rules" / "ukraine-peace";
  std::error_code ec;
  const auto relative = std::filesystem::relative(path, ec);
  if (!ec && !relative.empty() && relative.native().rfind("..", 0) != 0) return relative;
  return path;
}

ModelCacheOptions default_model_cache_options() {
  namespace fs = std::filesystem;
  ModelCacheOptions options;
  auto set = [](const char* name) -> const char* {
    const char* value = std::getenv(name);
    return value && *value ? value : nullptr;
  };
  if (const char* dir = std::getenv("STANCE_CACHE_DIR")) {
    if (std::string_view(dir) != "off") options.directory = dir;  // empty: off too
  } else if (const char* xdg = set("XDG_CACHE_HOME"); xdg && fs::path(xdg).is_absolute()) {
    options.directory = fs::path(xdg) / "stance";  // the XDG spec ignores a relative value
  } else if (const char* home = set("HOME")) {
    options.directory = fs::path(home) / ".cache" / "stance";
  }
  // The executable's path, size and time: a rebuilt stance (another loader, perhaps) starts afresh.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto size = fs::file_size(exe, ec);
    const auto time = fs::last_write_time(exe, ec);
    if (!ec) {
      options.build = exe.string() + " " + std::to_string(size) + " " +
                      std::to_string(time.time_since_epoch().count());
    }
  }
  return options;
}

std::string Diagnostic::format() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  out += severity == Severity::error ? ": error: " : ": warning: ";
  out += message;
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::error) return true;
  }
  return false;
}

}  // namespace stance
