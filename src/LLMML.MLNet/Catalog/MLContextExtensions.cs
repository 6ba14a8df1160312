using LLMML.MLNet.Catalog;

// In Microsoft.ML's namespace so `mlContext.Llm()` is found without an extra using, like ML.NET's own catalogs.
namespace Microsoft.ML;

/// <summary>The LLMML entry point on <see cref="MLContext"/>.</summary>
public static class MLContextLlmExtensions
{
    /// <summary>
    /// LLMML's catalog for this context. Calling it also registers the context so <c>mlContext.Model.Load</c>
    /// can rebuild pipelines holding LLMML transformers.
    /// </summary>
    public static LlmCatalog Llm(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new LlmCatalog(mlContext);
    }
}
