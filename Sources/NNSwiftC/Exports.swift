// C API exports live here.
import NNSwift
