// The registration settings endpoints; changes go through contest::SettingsService.
#include "api/contest_settings.hpp"

#include "accounts/auth_service.hpp"
#include "api/common.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using nlohmann::json;

json SettingsJson(const std::vector<contest::RegistrationField>& registration_fields,
                  contest::RegistrationMode mode) {
  json fields = json::array();
  for (const auto& f : registration_fields) {
    fields.push_back({{"key", f.key},
                      {"label", f.label},
                      {"kind", std::string(contest::FieldKindCode(f.kind))},
                      {"required", f.required},
                      {"unique", f.unique}});
  }
  return {{"registration",
           {{"fields", fields}, {"mode", std::string(contest::RegistrationModeCode(mode))}}}};
}

void GetSettings(const ContestSettingsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  res.Send(JsonResponse(200, SettingsJson(contest->settings->registration_fields,
                                          contest->settings->registration_mode)));
}

void PutRegistrationSettings(const ContestSettingsApiDeps& deps, http::Request& req,
                             http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  // The body is the "registration" section: {"fields": [...]}.
  auto fields = contest::ParseRegistrationSection(body->dump());
  if (!fields) return res.SendError(fields.error());
  auto mode = contest->settings->registration_mode;
  if (body->contains("mode")) {
    const auto parsed = (*body)["mode"].is_string()
                            ? contest::ParseRegistrationMode((*body)["mode"].get<std::string>())
                            : std::nullopt;
    if (!parsed) {
      auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_settings",
                               "mode phải là open hoặc roster.", "mode");
      return res.SendError(e);
    }
    mode = *parsed;
  }
  const auto actor = http::ActorOf(req);
  deps.settings.EditRegistrationFields(
      actor, contest->id,
      [fields = *fields](const std::vector<contest::RegistrationField>&) { return fields; },
      [deps, res, actor, id = contest->id, mode,
       changed = mode != contest->settings->registration_mode](
          core::Result<std::vector<contest::RegistrationField>> saved) {
        if (!saved) return res.SendError(saved.error());
        if (!changed) return res.Send(JsonResponse(200, SettingsJson(*saved, mode)));
        deps.settings.SetRegistrationMode(
            actor, id, mode, [res, fields = *saved](core::Result<contest::RegistrationMode> m) {
              if (!m) return res.SendError(m.error());
              res.Send(JsonResponse(200, SettingsJson(fields, *m)));
            });
      });
}

}  // namespace

void RegisterContestSettingsApi(http::Router& router, const ContestSettingsApiDeps& deps) {
  const auto admin = Access::Roles({Role::kAdmin});
  router.Add(Method::kGet, "/api/v1/contest/settings",
             Access::Roles({Role::kAdmin, Role::kSecretary}), Bind(deps, GetSettings));
  router.Add(Method::kPut, "/api/v1/contest/settings/registration", admin,
             Bind(deps, PutRegistrationSettings));
}

}  // namespace hoithi::api
