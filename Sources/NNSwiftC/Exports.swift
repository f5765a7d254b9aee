// The C API of include/nnswift.h. Every entry point catches every error, records a message
// for the calling thread and returns a status: nothing here may trap inside a host program.
import CNNSwiftSupport
import Foundation
import NNSwift

let abiVersion: Int32 = 2

enum Status: Int32 { case ok = 0, argument = 1, io = 2, format = 3, species = 4, geometry = 5, `internal` = 6, numeric = 7 }

/// What a `nnswift_model *` points to: the potential and C strings the model hands out.
final class ModelHandle {
    let potential: Potential
    let symbols: [UnsafeMutablePointer<CChar>]
    let lengthUnit: UnsafeMutablePointer<CChar>
    let energyUnit: UnsafeMutablePointer<CChar>

    init(_ potential: Potential) {
        self.potential = potential
        symbols = potential.elements.map(cString)
        lengthUnit = cString(potential.model.units.lengthName)
        energyUnit = cString(potential.model.units.energyName)
    }

    deinit {
        symbols.forEach { $0.deallocate() }
        lengthUnit.deallocate(); energyUnit.deallocate()
    }
}

/// Runs `body`, mapping thrown errors to a status and this thread's last-error message.
func guarded(_ body: () throws -> Void) -> Int32 {
    do {
        try body()
        nnswift_support_set_error("")
        return Status.ok.rawValue
    } catch let e as NNSwiftError {
        nnswift_support_set_error(e.description)
        switch e {
        case .argument: return Status.argument.rawValue
        case .io: return Status.io.rawValue
        case .format: return Status.format.rawValue
        case .unknownElement, .speciesIndex: return Status.species.rawValue
        case .geometry: return Status.geometry.rawValue
        case .numeric: return Status.numeric.rawValue
        }
    } catch {
        nnswift_support_set_error("internal error: \(error)")
        return Status.internal.rawValue
    }
}

func handle(_ model: OpaquePointer?) throws -> ModelHandle {
    guard let model else { throw NNSwiftError.argument("model is NULL") }
    return Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(model)).takeUnretainedValue()
}

func required<T>(_ p: T?, _ name: String) throws -> T {
    guard let p else { throw NNSwiftError.argument("\(name) is NULL") }
    return p
}

/// A NUL-terminated copy of `s`, owned by the caller (deallocate()).
func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
    let bytes = Array(s.utf8CString)
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
    p.initialize(from: bytes, count: bytes.count)
    return p
}

/// `NNSwiftVersion.string` as a C string made once and never freed (the header promises a
/// static string).
nonisolated(unsafe) private let versionCString = UnsafePointer(cString(NNSwiftVersion.string))

@_cdecl("nnswift_version")
public func nnswift_version() -> UnsafePointer<CChar> { versionCString }

@_cdecl("nnswift_abi_version")
public func nnswift_abi_version() -> Int32 { abiVersion }

@_cdecl("nnswift_last_error")
public func nnswift_last_error() -> UnsafePointer<CChar> { nnswift_support_get_error() }

@_cdecl("nnswift_model_load")
public func nnswift_model_load(_ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try required(out, "model output pointer")
        out.pointee = nil
        let path = String(cString: try required(path, "path"))
        let potential = try Potential(model: ModelLoader.load(path: path))
        out.pointee = OpaquePointer(Unmanaged.passRetained(ModelHandle(potential)).toOpaque())
    }
}

@_cdecl("nnswift_model_free")
public func nnswift_model_free(_ model: OpaquePointer?) {
    guard let model else { return }
    Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(model)).release()
}

@_cdecl("nnswift_model_cutoff")
public func nnswift_model_cutoff(_ model: OpaquePointer?, _ cutoff: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded { try required(cutoff, "cutoff").pointee = try handle(model).potential.cutoff }
}

@_cdecl("nnswift_model_num_elements")
public func nnswift_model_num_elements(_ model: OpaquePointer?, _ count: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded { try required(count, "count").pointee = Int32(try handle(model).symbols.count) }
}

@_cdecl("nnswift_model_element")
public func nnswift_model_element(_ model: OpaquePointer?, _ index: Int32,
                                  _ symbol: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guarded {
        let h = try handle(model), out = try required(symbol, "symbol")
        guard index >= 0, Int(index) < h.symbols.count else {
            throw NNSwiftError.argument("element index \(index) out of range 0..<\(h.symbols.count)")
        }
        out.pointee = UnsafePointer(h.symbols[Int(index)])
    }
}

@_cdecl("nnswift_model_element_index")
public func nnswift_model_element_index(_ model: OpaquePointer?, _ symbol: UnsafePointer<CChar>?,
                                        _ index: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded {
        let h = try handle(model), out = try required(index, "index")
        let s = String(cString: try required(symbol, "symbol"))
        guard let i = h.potential.elements.firstIndex(of: s) else { throw NNSwiftError.unknownElement(s) }
        out.pointee = Int32(i)
    }
}

@_cdecl("nnswift_model_units")
public func nnswift_model_units(_ model: OpaquePointer?, _ length: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                _ energy: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    guarded {
        let h = try handle(model)
        try required(length, "length").pointee = UnsafePointer(h.lengthUnit)
        try required(energy, "energy").pointee = UnsafePointer(h.energyUnit)
    }
}
