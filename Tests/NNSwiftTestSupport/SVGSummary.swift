import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG document with Foundation's XMLParser: element counts and text contents.
public final class SVGSummary: NSObject, XMLParserDelegate {
    public var root: String?
    public var elements: [String: Int] = [:]
    public var texts: [String] = []
    /// Attributes of every element, by element name, in document order.
    public var attributes: [String: [[String: String]]] = [:]
    private var text = ""
    private var failure: Error?

    public init(_ svg: String) throws {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        if !parser.parse() { throw parser.parserError ?? failure ?? NSError(domain: "svg", code: 1) }
    }

    public func count(_ name: String) -> Int { elements[name] ?? 0 }

    public func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes attributeDict: [String: String] = [:]) {
        if root == nil { root = name }
        elements[name, default: 0] += 1
        attributes[name, default: []].append(attributeDict)
        text = ""
    }
    public func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(text) }
        text = ""
    }
    public func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { failure = parseError }
}
