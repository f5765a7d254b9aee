import Foundation
import NNSwift

// Clear errors for training configs: Foundation's JSONDecoder says only "The given data was not
// valid JSON" for NaN, Infinity, 1e999 or a fractional or too large whole number, and ignores
// unknown (misspelled) keys. These helpers name the key, the value and the line instead.

extension KeyedDecodingContainer {
    /// A whole-number key: a fractional or out-of-range number is an error naming `name` and the
    /// value (Foundation would report the whole document as invalid).
    func decodeWhole<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key, name: String) throws -> T? {
        if let v = try? decodeIfPresent(T.self, forKey: key) { return v }
        guard let x = try decodeIfPresent(Double.self, forKey: key) else { return nil }
        throw NNSwiftError.argument("config: \(name) = \(x): must be a whole number in \(T.min)...\(T.max)")
    }
}

enum ConfigText {
    /// The error of a config that JSONDecoder could not read: a JSON syntax error (NaN, Infinity,
    /// 1e999, a truncated file) located at its line and column with the text before it.
    static func syntaxError(_ data: Data, path: String) -> NNSwiftError? {
        do { _ = try JSONSerialization.jsonObject(with: data); return nil } catch {
            let text = String(decoding: data, as: UTF8.self)
            let debug = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            var offset: Int?
            if let r = debug.range(of: #"around character [0-9]+"#, options: .regularExpression) {
                offset = Int(debug[r].split(separator: " ").last ?? "")
            } else if let r = debug.range(of: #"Number \S+ is"#, options: .regularExpression) {
                let number = debug[r].dropFirst("Number ".count).dropLast(" is".count)
                offset = text.range(of: String(number)).map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) }
            }
            guard let offset, offset >= 0, offset <= text.utf8.count else {
                return .format(location: path, reason: "not valid JSON: \(debug)")
            }
            let before = text.utf8.prefix(offset)
            let line = before.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            let lineStart = before.lastIndex(of: 10).map { before.index(after: $0) } ?? before.startIndex
            let column = String(decoding: before[lineStart...], as: UTF8.self).count + 1
            // The text before the error (with the key, even a line or two up) and a little after.
            let head = String(decoding: before.suffix(80), as: UTF8.self)
            let tail = String(decoding: text.utf8.dropFirst(offset).prefix(20), as: UTF8.self)
            let context = (head + tail).split(whereSeparator: { $0 == "\n" || $0 == " " }).joined(separator: " ")
            // A value deep in a list may be far from its key: name the key path when the text does not.
            let keys = keyPath(before)
            let key = keys.split(separator: ".").last.map { String($0.prefix { $0 != "[" }) } ?? ""
            let within = key.isEmpty || context.contains("\"\(key)\"") ? "" : " in '\(keys)'"
            return .format(location: "\(path):\(line):\(column)",
                           reason: "not valid JSON (\(debug); NaN and Infinity are not JSON numbers)\(within) at: \(context)")
        }
    }

    /// The key path (e.g. "symmetryFunctions.functions[2]") of the value at the end of `json`, the
    /// start of a JSON text: keys of the open objects and indices in the open arrays.
    static func keyPath(_ json: Substring.UTF8View) -> String {
        enum Level { case object(String?), array(Int) }
        var stack: [Level] = [], inString = false, escaped = false, token: [UInt8] = [], lastString: String?
        for b in json {
            if inString {
                if escaped { escaped = false; token.append(b) } else if b == UInt8(ascii: "\\") { escaped = true }
                else if b == UInt8(ascii: "\"") { inString = false; lastString = String(decoding: token, as: UTF8.self) }
                else { token.append(b) }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true; token = []
            case UInt8(ascii: ":"): if case .object = stack.last { stack[stack.count - 1] = .object(lastString) }
            case UInt8(ascii: "{"): stack.append(.object(nil))
            case UInt8(ascii: "["): stack.append(.array(0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ","):
                if case .array(let i) = stack.last { stack[stack.count - 1] = .array(i + 1) }
                else if case .object = stack.last { stack[stack.count - 1] = .object(nil) }
            default: break
            }
        }
        var path = ""
        for level in stack {
            switch level {
            case .object(let k?): path += path.isEmpty ? k : ".\(k)"
            case .array(let i): path += "[\(i)]"
            case .object(nil): break
            }
        }
        return path
    }

    /// The first key of `input` (the config as parsed JSON) that decoding did not use: a key absent
    /// from `encoded` (the decoded config encoded again), e.g. "optimizer.learningrate".
    static func unknownKey(_ input: Any, _ encoded: Any, path: String = "") -> String? {
        if let a = input as? [Any], let b = encoded as? [Any] {
            for (k, (x, y)) in zip(a, b).enumerated() {
                if let u = unknownKey(x, y, path: "\(path)[\(k)]") { return u }
            }
            return nil
        }
        guard let i = input as? [String: Any], let e = encoded as? [String: Any] else { return nil }
        for key in i.keys.sorted() where !(i[key] is NSNull) {
            let name = path.isEmpty ? key : "\(path).\(key)"
            guard let ev = e[key] else {
                let hint = e.keys.first { $0.lowercased() == key.lowercased() }.map { " (did you mean '\($0)'?)" } ?? ""
                return "'\(name)'\(hint)"
            }
            if let u = unknownKey(i[key]!, ev, path: name) { return u }
        }
        return nil
    }
}
