import Foundation
import NNSwift

@_cdecl("nnswift_unit_factor")
public func nnswift_unit_factor(_ from: UnsafePointer<CChar>?, _ to: UnsafePointer<CChar>?,
                                _ factor: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let out = try required(factor, "factor")
        out.pointee = try Units.factor(from: String(cString: try required(from, "from_unit")),
                                       to: String(cString: try required(to, "to_unit")))
    }
}

@_cdecl("nnswift_model_load_with_units")
public func nnswift_model_load_with_units(_ path: UnsafePointer<CChar>?, _ length: UnsafePointer<CChar>?,
                                          _ energy: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try required(out, "model output pointer")
        out.pointee = nil
        let path = String(cString: try required(path, "path"))
        // NULL or "" leaves that unit as the model declares it.
        func text(_ p: UnsafePointer<CChar>?) -> String? { p.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        let units = try Units(parsingLength: text(length), energy: text(energy))
        let potential = try Potential(model: ModelLoader.load(path: path, units: units))
        out.pointee = OpaquePointer(Unmanaged.passRetained(ModelHandle(potential)).toOpaque())
    }
}
