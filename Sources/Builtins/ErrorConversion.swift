import Datasets
import Diagnostics
import Display
import Language
import NeuralNetworks
import TensorEngine
import Training

/// Runs engine code, turning its errors (TensorError, ModelError, DatasetError, TrainingError)
/// into the language's `HostError`; diagnostics pass through untouched.
func hosted<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as TensorError {
        var converted = HostError(error.message, hint: error.hint)
        if let site = error.changeSite as? SourceChangeSite {
            converted.notes = [Diagnostic.Note("the values were changed in place here", span: site.span)]
        }
        throw converted
    } catch let error as ModelError {
        if let cause = error.cause?.error { throw cause }
        throw HostError(error.message, hint: error.hint, element: error.layerIndex)
    } catch let error as DatasetError {
        throw HostError(error.message, hint: error.hint)
    } catch let error as TrainingError {
        throw HostError(error.message, hint: error.hint)
    }
}

/// Where the language changed a tensor in place (`a -= 1`, `x[0] = v`): the statement, so an
/// error from a later `backward()` can point at it.
final class SourceChangeSite: ChangeSite {
    let span: SourceSpan

    init(_ span: SourceSpan) {
        self.span = span
    }

    var summary: String {
        let text = span.text
        return text.count <= 40 && !text.contains("\n") ? "by `\(text)`" : "by the statement at line \(span.source.location(of: span.start).line)"
    }
}

/// Formatting shared by the builtins' displays.
enum Format {
    /// 60000 → "60,000".
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// A fixed number of decimals.
    static func fixed(_ value: Float, _ digits: Int) -> String {
        Display.Progress.format(value, digits: digits)
    }

    /// 0.9703 → "97.03%".
    static func percent(_ value: Float) -> String {
        fixed(value * 100, 2) + "%"
    }

    /// 1.8e11 → "180.0 GFLOP", with the unit that keeps the number readable.
    static func flops(_ value: Double) -> String {
        for (scale, unit) in [(1e15, "PFLOP"), (1e12, "TFLOP"), (1e9, "GFLOP"), (1e6, "MFLOP"), (1e3, "kFLOP")] where value >= scale {
            return fixed(Float(value / scale), 1) + " " + unit
        }
        return "\(Progress.whole(value)) FLOP"
    }
}
