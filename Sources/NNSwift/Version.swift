/// nnswift's release version, written only here: the CLI's `--version`, the C API's
/// `nnswift_version()` and the installed pkg-config and CMake files (scripts/build.sh asks the
/// built `nnswift --version`) all read it. The Python package's version must match
/// (python/tests check `library_version() == __version__`).
public enum NNSwiftVersion {
    public static let string = "0.2.0"
}
