using LLMML.Complexity.Evaluation;
using LLMML.MLNet.Catalog;

// In Microsoft.ML's namespace, next to mlContext.Llm(), so the extension is found without an extra using.
namespace Microsoft.ML;

/// <summary>Task complexity on <c>mlContext.Llm()</c>.</summary>
public static class ComplexityCatalogExtensions
{
    /// <summary>
    /// An evaluator of task complexity: <c>Evaluate(train, test)</c> runs the options' strategies on each model and
    /// returns a <see cref="LLMML.Complexity.Reporting.ComplexityReport"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options (no model, a target outside the metric's range, …).</exception>
    public static ComplexityEvaluator Complexity(this LlmCatalog catalog, ComplexityOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ComplexityEvaluator(catalog.Context, options);
    }
}
