//! `--s3-root DIR`: a directory standing in for S3, read by Distributed Map `ItemReader`s.
//!
//! S3 keys are not paths. An object `s3://bucket/key` is the file `DIR/bucket/key`, and only
//! that: a bucket or key that would name anything else (`..` or `.` segments, an absolute key,
//! a backslash, a NUL) is refused with the error S3 itself gives for a name it does not have,
//! and a symbolic link is followed only while it stays inside `DIR`. A definition and its
//! execution input come from whoever wrote them — in CI, from a pull request — so nothing they
//! name may read the rest of the disk. Reads are bounded: an object over
//! [`MAX_OBJECT_BYTES`] or anything that is not a regular file (`/dev/zero`, a FIFO) is
//! refused before it is read, and a listing stops at [`MAX_LISTED_KEYS`].

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest object an `ItemReader` may read. AWS reads far larger ones, but a local run keeps
/// every item in memory (and a copy per state entered), so the simulator stops here.
pub const MAX_OBJECT_BYTES: u64 = 16 * 1024 * 1024;

/// The most keys one `listObjectsV2` returns (AWS pages through more; a test needs far fewer).
pub const MAX_LISTED_KEYS: usize = 100_000;

/// How deep a listing descends into folders.
const MAX_LIST_DEPTH: usize = 64;

/// Why an object could not be read or a bucket listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3Error {
    /// What S3 answers: the run fails as it would on AWS (`States.ItemReaderFailed`), with S3's
    /// error text as the cause.
    Service(String),
    /// The object is not there: the test set-up lacks a file (reported as a usage error).
    Missing(String),
    /// Past a bound of the simulator ([`MAX_OBJECT_BYTES`], [`MAX_LISTED_KEYS`]), or not a
    /// regular file.
    Limit(String),
}

/// The root directory, resolved once (all links in its own path followed).
#[derive(Debug, Clone)]
pub struct S3Root {
    given: PathBuf,
    canonical: PathBuf,
}

impl S3Root {
    pub fn open(root: &Path) -> Result<S3Root, S3Error> {
        let canonical =
            std::fs::canonicalize(root).map_err(|e| S3Error::Missing(format!("--s3-root {}: {e}", root.display())))?;
        Ok(S3Root {
            given: root.to_path_buf(),
            canonical,
        })
    }

    /// `GetObject`: the text of `s3://bucket/key`.
    pub fn get_object(&self, bucket: &str, key: &str) -> Result<String, S3Error> {
        check_bucket(bucket)?;
        check_key(key)?;
        let path = self.canonical.join(bucket).join(key);
        let shown = || format!("s3://{bucket}/{key} ({})", self.given.join(bucket).join(key).display());
        let resolved = match std::fs::canonicalize(&path) {
            Ok(p) => p,
            Err(e) => return Err(S3Error::Missing(format!("cannot read {}: {e}", shown()))),
        };
        if !resolved.starts_with(&self.canonical) {
            return Err(S3Error::Service(no_such_key()));
        }
        let meta =
            std::fs::metadata(&resolved).map_err(|e| S3Error::Missing(format!("cannot read {}: {e}", shown())))?;
        if !meta.is_file() {
            return Err(S3Error::Limit(format!("{} is not a regular file", shown())));
        }
        if meta.len() > MAX_OBJECT_BYTES {
            return Err(too_large(&shown()));
        }
        let file =
            std::fs::File::open(&resolved).map_err(|e| S3Error::Missing(format!("cannot read {}: {e}", shown())))?;
        let mut bytes = Vec::new();
        file.take(MAX_OBJECT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| S3Error::Missing(format!("cannot read {}: {e}", shown())))?;
        if bytes.len() as u64 > MAX_OBJECT_BYTES {
            return Err(too_large(&shown()));
        }
        String::from_utf8(bytes).map_err(|_| S3Error::Service(format!("s3://{bucket}/{key} is not UTF-8 text")))
    }

    /// `ListObjectsV2`: every key of the bucket that starts with `prefix`, sorted, with its
    /// size. Links are listed only when they lead to a file inside the root; linked folders are
    /// not entered (S3 has neither, and a link loop would never end).
    pub fn list_objects(&self, bucket: &str, prefix: &str) -> Result<Vec<(String, u64)>, S3Error> {
        check_bucket(bucket)?;
        let base = self.canonical.join(bucket);
        match std::fs::symlink_metadata(&base) {
            Ok(meta) if meta.is_dir() => {}
            _ => {
                return Err(S3Error::Service(
                    "The specified bucket does not exist (Service: S3, Status Code: 404, Error Code: NoSuchBucket)"
                        .into(),
                ))
            }
        }
        let mut keys = Vec::new();
        self.walk(&base, &base, 0, &mut keys)?;
        keys.retain(|(k, _)| k.starts_with(prefix));
        keys.sort();
        Ok(keys)
    }

    fn walk(&self, base: &Path, dir: &Path, depth: usize, out: &mut Vec<(String, u64)>) -> Result<(), S3Error> {
        if depth > MAX_LIST_DEPTH {
            return Ok(());
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let size = if meta.is_dir() {
                self.walk(base, &path, depth + 1, out)?;
                continue;
            } else if meta.is_file() {
                meta.len()
            } else if meta.file_type().is_symlink() {
                match std::fs::canonicalize(&path) {
                    Ok(target) if target.starts_with(&self.canonical) => match std::fs::metadata(&target) {
                        Ok(m) if m.is_file() => m.len(),
                        _ => continue,
                    },
                    _ => continue,
                }
            } else {
                continue;
            };
            let Ok(rel) = path.strip_prefix(base) else {
                continue;
            };
            if out.len() >= MAX_LISTED_KEYS {
                return Err(S3Error::Limit(format!(
                    "the bucket folder {} holds more than {MAX_LISTED_KEYS} files, the simulator's limit for one listing",
                    self.given.join(base.strip_prefix(&self.canonical).unwrap_or(base)).display()
                )));
            }
            out.push((rel.to_string_lossy().replace('\\', "/"), size));
        }
        Ok(())
    }
}

fn no_such_key() -> String {
    "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey)".into()
}

fn too_large(shown: &str) -> S3Error {
    S3Error::Limit(format!(
        "{shown} is larger than {} MiB, the simulator's limit for an object an ItemReader reads",
        MAX_OBJECT_BYTES / (1024 * 1024)
    ))
}

/// A bucket name that maps to one folder directly under the root.
fn check_bucket(bucket: &str) -> Result<(), S3Error> {
    let bad = bucket.is_empty()
        || bucket == "."
        || bucket == ".."
        || bucket.contains(['/', '\\', '\0'])
        || Path::new(bucket).is_absolute();
    if bad {
        return Err(S3Error::Service(
            "The specified bucket is not valid. (Service: S3, Status Code: 400, Error Code: InvalidBucketName)".into(),
        ));
    }
    Ok(())
}

/// A key whose `/`-separated segments map to folders and a file under the bucket's folder: no
/// absolute form, no `.` or `..` segment, no backslash or NUL (which a file system reads
/// differently from S3). S3 would look such a key up literally and not find it.
fn check_key(key: &str) -> Result<(), S3Error> {
    let bad = key.is_empty()
        || key.starts_with('/')
        || key.contains(['\\', '\0'])
        || key.split('/').any(|segment| segment == "." || segment == "..")
        || Path::new(key).is_absolute()
        || Path::new(key).has_root();
    if bad {
        return Err(S3Error::Service(no_such_key()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> (tempfile::TempDir, S3Root) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("root/b/nested")).unwrap();
        std::fs::write(dir.path().join("root/b/items.json"), "[1]").unwrap();
        std::fs::write(dir.path().join("root/b/nested/more.json"), "[2]").unwrap();
        std::fs::write(dir.path().join("secret.json"), "[\"SECRET\"]").unwrap();
        let root = S3Root::open(&dir.path().join("root")).unwrap();
        (dir, root)
    }

    #[test]
    fn reads_objects_inside_the_root() {
        let (_dir, root) = root();
        assert_eq!(root.get_object("b", "items.json").unwrap(), "[1]");
        assert_eq!(root.get_object("b", "nested/more.json").unwrap(), "[2]");
    }

    #[test]
    fn keys_and_buckets_that_leave_the_root_are_not_found() {
        let (dir, root) = root();
        let absolute = dir.path().join("secret.json").display().to_string();
        for (bucket, key) in [
            ("b", "../../secret.json"),
            ("b", "nested/../../../secret.json"),
            ("b", absolute.as_str()),
            ("b", "/etc/passwd"),
            ("b", "./items.json"),
            ("b", "a\\..\\..\\secret.json"),
        ] {
            assert_eq!(
                root.get_object(bucket, key),
                Err(S3Error::Service(no_such_key())),
                "{key}"
            );
        }
        for bucket in ["..", "../root/b", "/", "", "."] {
            assert!(
                matches!(root.get_object(bucket, "secret.json"), Err(S3Error::Service(m)) if m.contains("InvalidBucketName")),
                "{bucket}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_are_not_followed() {
        let (dir, root) = root();
        std::os::unix::fs::symlink(dir.path().join("secret.json"), dir.path().join("root/b/link.json")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("root/b/up")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("root/b/zero")).unwrap();
        assert_eq!(root.get_object("b", "link.json"), Err(S3Error::Service(no_such_key())));
        assert_eq!(
            root.get_object("b", "up/secret.json"),
            Err(S3Error::Service(no_such_key()))
        );
        assert_eq!(root.get_object("b", "zero"), Err(S3Error::Service(no_such_key())));
        let keys: Vec<String> = root
            .list_objects("b", "")
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["items.json", "nested/more.json"]);
    }

    #[test]
    fn objects_are_read_up_to_the_cap() {
        let (dir, root) = root();
        let big = std::fs::File::create(dir.path().join("root/b/big.json")).unwrap();
        big.set_len(MAX_OBJECT_BYTES + 1).unwrap();
        assert!(matches!(root.get_object("b", "big.json"), Err(S3Error::Limit(m)) if m.contains("16 MiB")));
    }

    #[test]
    fn listing_a_bucket_outside_the_root_is_refused() {
        let (_dir, root) = root();
        assert!(matches!(root.list_objects("..", ""), Err(S3Error::Service(m)) if m.contains("InvalidBucketName")));
        assert!(matches!(root.list_objects("none", ""), Err(S3Error::Service(m)) if m.contains("NoSuchBucket")));
    }
}
