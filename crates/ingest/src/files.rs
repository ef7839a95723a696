//! Files and folders.
//!
//! Folders are read recursively in name order, so that two runs over the same tree
//! emit the same items in the same order. Hidden entries (names starting with `.`) are
//! passed over silently: they are version-control data, editor backups and the like.
//! Symbolic links are followed, except one that leads back into a folder being read.

use crate::Item;
use crate::error::Error;
use crate::reader::{Base, Origin, Reader};
use chronicle_model::{Skip, SkipReason};
use std::fs;
use std::path::{Path, PathBuf};
use url::Url;

impl Reader {
    /// Reads a file, or a folder and everything under it.
    pub(crate) fn read_path(&mut self, path: &Path, nesting: u32, emit: &mut dyn FnMut(Item)) {
        let mut open_folders = Vec::new();
        self.read_entry(path, nesting, &mut open_folders, emit);
    }

    /// `open_folders` holds the canonical paths of the folders being read, from the
    /// top down: a link back to one of them is a loop.
    fn read_entry(
        &mut self,
        path: &Path,
        nesting: u32,
        open_folders: &mut Vec<PathBuf>,
        emit: &mut dyn FnMut(Item),
    ) {
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) => {
                return emit(Item::Skip(
                    Error::Unreadable(error).into_skip(&link_url(path)),
                ));
            }
        };
        if metadata.is_dir() {
            self.read_folder(path, nesting, open_folders, emit);
        } else if metadata.is_file() {
            self.read_file(path, metadata.len(), nesting, emit);
        } else {
            // Reading a pipe or a device could block for ever or never end.
            emit(Item::Skip(Skip::new(
                link_url(path),
                SkipReason::Unsupported,
                "neither a regular file nor a folder",
            )));
        }
    }

    fn read_folder(
        &mut self,
        path: &Path,
        nesting: u32,
        open_folders: &mut Vec<PathBuf>,
        emit: &mut dyn FnMut(Item),
    ) {
        let canonical = match fs::canonicalize(path) {
            Ok(canonical) => canonical,
            Err(error) => {
                return emit(Item::Skip(
                    Error::Unreadable(error).into_skip(&link_url(path)),
                ));
            }
        };
        if open_folders.contains(&canonical) {
            return emit(Item::Skip(Skip::new(
                link_url(path),
                SkipReason::SymlinkLoop,
                format!(
                    "the symbolic link {} leads back to {}, a folder being read",
                    path.display(),
                    canonical.display()
                ),
            )));
        }
        let entries = match fs::read_dir(path) {
            Ok(entries) => entries,
            Err(error) => {
                return emit(Item::Skip(
                    Error::Unreadable(error).into_skip(&link_url(path)),
                ));
            }
        };
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) if !entry.file_name().to_string_lossy().starts_with('.') => {
                    names.push(entry.file_name())
                }
                Ok(_) => {}
                Err(error) => emit(Item::Skip(
                    Error::Unreadable(error).into_skip(&link_url(path)),
                )),
            }
        }
        names.sort();
        open_folders.push(canonical);
        for name in names {
            if self.cancelled() {
                break;
            }
            self.read_entry(&path.join(name), nesting, open_folders, emit);
        }
        open_folders.pop();
    }

    fn read_file(&mut self, path: &Path, size: u64, nesting: u32, emit: &mut dyn FnMut(Item)) {
        let canonical = fs::canonicalize(path).unwrap_or_else(|_| absolute(path));
        let source = file_url(&canonical);
        let file = match fs::File::open(path) {
            Ok(file) => file,
            Err(error) => return emit(Item::Skip(Error::Unreadable(error).into_skip(&source))),
        };
        let folder = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut origin = Origin::new(source, Base::Folder(folder));
        origin.name_hint = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        origin.length = Some(size);
        origin.nesting = nesting;
        self.read_stream(origin, Box::new(file), emit);
    }
}

/// The `file://` URL of an absolute path, or the path as written if it has none.
fn file_url(path: &Path) -> String {
    Url::from_file_path(path)
        .map(String::from)
        .unwrap_or_else(|()| path.display().to_string())
}

/// The `file://` URL of a path as named, links not resolved: what a skip about the
/// entry itself (a broken link, a loop) should show.
fn link_url(path: &Path) -> String {
    file_url(&absolute(path))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
