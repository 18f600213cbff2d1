// server/http/performance_pages.hpp: the public page of the published results, /performance and
// /performance/{form} (performance_routes.cpp), drawn from a Publication (figures.hpp).
//
// Tables first: every number is in a table with a caption and header cells. Each chart is an
// SVG drawing of one of those tables (role="img", a <title> naming what it shows), so nothing
// is said only by a picture. Suppressed numbers read "Not shown", never a blank.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "renderers/render.hpp"
#include "server/http/figures.hpp"

namespace askonce::server {

class Catalog;

/// The page of `figures` (every form's rows, or one form's) in `lang` ("en" or "es"), in the
/// site's frame, with links to the same figures as JSON and CSV at `base` + ".json" / ".csv".
/// Forms and agencies are named by their titles from `catalog` (a form no longer served keeps
/// its id).
/// The quarters frozen so far (`snapshots`, without their CSV) are listed with their SHA-256,
/// and the page says which quarter comes next, and from when (`next`).
std::string performance_page(const Catalog& catalog, const Publication& figures,
                             const std::vector<FigureSnapshot>& snapshots, const NextPublication& next,
                             std::string_view lang, renderers::Site site, const std::string& base);

}  // namespace askonce::server
