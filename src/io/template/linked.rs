//! Linked templates (`templateLink.uri`, `templateLink.relativePath`) and parameter links, read
//! from a local folder instead of the network: vnetlab never downloads.
//!
//! A URI is matched by the tail of its path: for `https://host/org/repo/main/linked/vnet.json`
//! the folder is searched for `org/repo/main/linked/vnet.json`, then `repo/main/linked/vnet.json`,
//! … down to `vnet.json`, and the longest existing match wins, so a lab cloned with its
//! `linked/` folder resolves without options. A `relativePath` resolves from the linking
//! template's own folder. Nothing outside the folder is read (`..` and symbolic links that leave
//! it are refused), each file is read once, and the size and value limits of exports apply.

use super::ParamValue;
use super::eval::{Engine, Frame};
use super::limits::EvalError;
use super::value::Val;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The most distinct linked files one import reads.
const MAX_LINKED_FILES: usize = 200;

/// How many trailing path segments of a URI are tried.
const MAX_TAIL: usize = 8;

/// The folders linked templates come from, and what was read from them.
#[derive(Debug, Default)]
pub struct Linked {
    /// The folders searched, in order: `--template-dir` if given, and the folder of the template
    /// being imported.
    pub roots: Vec<PathBuf>,
    cache: HashMap<PathBuf, Rc<Value>>,
}

impl Linked {
    /// Finds the file a link names; `None` when it is not under the folder.
    fn find(&self, base_dir: &Path, uri: Option<&str>, relative: Option<&str>) -> Option<PathBuf> {
        let mut candidates = Vec::new();
        if let Some(relative) = relative {
            candidates.push(base_dir.join(relative));
        }
        if let Some(uri) = uri.or(relative) {
            let segments = path_segments(uri);
            for root in &self.roots {
                for take in (1..=segments.len().min(MAX_TAIL)).rev() {
                    candidates.push(root.join(segments[segments.len() - take..].join("/")));
                }
            }
        }
        let roots: Vec<PathBuf> = self
            .roots
            .iter()
            .filter_map(|r| r.canonicalize().ok())
            .collect();
        candidates.into_iter().find(|path| {
            path.is_file()
                && path
                    .canonicalize()
                    .is_ok_and(|real| roots.iter().any(|root| real.starts_with(root)))
        })
    }

    fn read(&mut self, path: &Path) -> Result<Rc<Value>, EvalError> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if let Some(value) = self.cache.get(&key) {
            return Ok(value.clone());
        }
        if self.cache.len() >= MAX_LINKED_FILES {
            return Err(EvalError::Shape(format!(
                "the templates link more than {MAX_LINKED_FILES} files"
            )));
        }
        let shown = path.display().to_string();
        let text = crate::io::azure::source::read_text(path)
            .map_err(|e| EvalError::Shape(e.to_string()))?;
        let value = Rc::new(
            crate::io::azure::source::parse(&text, &shown)
                .map_err(|e| EvalError::Shape(e.to_string()))?,
        );
        self.cache.insert(key, value.clone());
        Ok(value)
    }
}

/// The decoded path segments of a URI (or relative path), without scheme, host, query, `..`.
fn path_segments(uri: &str) -> Vec<String> {
    let without_query = uri.split(['?', '#']).next().unwrap_or(uri);
    let path = match without_query.split_once("://") {
        Some((_, rest)) => rest.split_once('/').map_or("", |(_, path)| path),
        None => without_query,
    };
    path.split(['/', '\\'])
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(|s| s.replace("%20", " "))
        .collect()
}

impl Engine {
    /// The template a `templateLink` names: its path, its JSON and the URI it is known by.
    /// When it cannot be found, a placeholder says so and `None` is returned.
    pub fn linked_template(
        &mut self,
        frame: &Frame,
        deployment: &str,
        link: Option<Val>,
    ) -> Result<Option<(PathBuf, Rc<Value>, String)>, EvalError> {
        let Some(link) = link else {
            return Err(EvalError::Shape(format!(
                "deployment `{deployment}` has neither `template` nor `templateLink`"
            )));
        };
        let text = |key: &str| link.as_obj().and_then(|o| o.get(key)).cloned();
        let (uri, relative) = (text("uri"), text("relativePath"));
        if let Some(Val::Unknown(why)) = uri.as_ref().or(relative.as_ref()) {
            self.placeholder(
                why,
                format!("the template link of deployment `{deployment}` (not imported)"),
            );
            return Ok(None);
        }
        let uri = uri.as_ref().and_then(Val::as_str).map(str::to_string);
        let relative = relative.as_ref().and_then(Val::as_str).map(str::to_string);
        let named = uri.clone().or_else(|| relative.clone()).or_else(|| {
            text("id").and_then(|id| id.as_str().map(|s| format!("template spec {s}")))
        });
        let Some(named) = named else {
            return Err(EvalError::Shape(format!(
                "deployment `{deployment}`: `templateLink` has no `uri` or `relativePath`"
            )));
        };
        let found = if uri.is_some() || relative.is_some() {
            self.linked
                .find(&frame.dir, uri.as_deref(), relative.as_deref())
        } else {
            None
        };
        let Some(path) = found else {
            let folder = match self.linked.roots.as_slice() {
                [] => "no folder".to_string(),
                roots => roots
                    .iter()
                    .map(|r| format!("`{}`", r.display()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            self.placeholder(
                &format!("linked template `{named}` was not found in {folder} (give its folder with --template-dir)"),
                format!("deployment `{deployment}` (its resources are not imported)"),
            );
            return Ok(None);
        };
        let template = self.linked.read(&path)?;
        self.notes.insert(format!(
            "deployment `{deployment}`: linked template `{named}` read from `{}`",
            path.display()
        ));
        let uri = uri.unwrap_or_else(|| {
            format!(
                "{}/{}",
                frame.link_uri.rsplit_once('/').map_or("", |(b, _)| b),
                named
            )
        });
        Ok(Some((path, template, uri)))
    }

    /// The parameters of a `parametersLink`, read from the same folder.
    pub fn linked_parameters(
        &mut self,
        frame: &Frame,
        deployment: &str,
        link: Option<Val>,
    ) -> Result<Vec<(String, ParamValue)>, EvalError> {
        let Some(link) = link else {
            return Ok(Vec::new());
        };
        let uri = link
            .as_obj()
            .and_then(|o| o.get("uri"))
            .and_then(Val::as_str)
            .map(str::to_string);
        let Some(path) = uri
            .as_deref()
            .and_then(|u| self.linked.find(&frame.dir, Some(u), None))
        else {
            self.placeholder(
                &format!(
                    "parameters file `{}` was not found (give its folder with --template-dir)",
                    uri.as_deref().unwrap_or("?")
                ),
                format!("deployment `{deployment}` (its parameters take their defaults)"),
            );
            return Ok(Vec::new());
        };
        let file = self.linked.read(&path)?;
        let mut notes = Vec::new();
        let given = super::parameters_of(&file, &path.display().to_string(), &mut notes);
        self.notes.extend(notes);
        Ok(given)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_become_path_tails() {
        assert_eq!(
            path_segments("https://raw.githubusercontent.com/o/r/main/linked/vnet.json?sv=1#x"),
            ["o", "r", "main", "linked", "vnet.json"]
        );
        assert_eq!(path_segments("nested/../a.json"), ["nested", "a.json"]);
    }

    #[test]
    fn links_resolve_by_the_longest_tail_inside_the_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("linked")).unwrap();
        std::fs::write(dir.path().join("linked/vnet.json"), "{}").unwrap();
        std::fs::write(dir.path().join("vnet.json"), "{}").unwrap();
        let linked = Linked {
            roots: vec![dir.path().to_path_buf()],
            ..Linked::default()
        };
        let found = linked.find(
            dir.path(),
            Some("https://h/o/r/main/linked/vnet.json"),
            None,
        );
        assert_eq!(found.unwrap(), dir.path().join("linked/vnet.json"));
        let found = linked.find(dir.path(), Some("https://h/other/vnet.json"), None);
        assert_eq!(found.unwrap(), dir.path().join("vnet.json"));
        assert!(
            linked
                .find(dir.path(), None, Some("../outside.json"))
                .is_none()
        );
        assert!(
            linked
                .find(dir.path(), Some("https://h/missing.json"), None)
                .is_none()
        );
    }
}
