/// The instruction set this build was compiled for, named by the condition scripts/build.sh sets:
/// "native" (the build machine's, `-target-cpu native`), "x86-64-v3" (AVX2 and FMA, the fast
/// half of a portable build) or "baseline" (the target's default ISA: the other half of a
/// portable build, and any build made without scripts/build.sh). `nnswift build-info` prints it.
public enum NNSwiftBuild {
    #if NNSWIFT_ISA_NATIVE
    public static let isa = "native"
    #elseif NNSWIFT_ISA_X86_64_V3
    public static let isa = "x86-64-v3"
    #else
    public static let isa = "baseline"
    #endif

    /// Whether the kernels use fused multiply-adds (`-DNNSWIFT_FMA`; see `muladd`).
    #if NNSWIFT_FMA
    public static let fusedMultiplyAdd = true
    #else
    public static let fusedMultiplyAdd = false
    #endif
}
