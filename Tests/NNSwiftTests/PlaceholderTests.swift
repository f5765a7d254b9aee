import XCTest
@testable import NNSwift
final class PlaceholderTests: XCTestCase { func testCell() { XCTAssertEqual(Cell(orthorhombic: 2, 3, 4).volume, 24, accuracy: 1e-12) } }
