using LLMML.Eigenpruning.Transforms;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Catalog;

// In Microsoft.ML's namespace, next to mlContext.Llm(), so the extension is found without an extra using.
namespace Microsoft.ML;

/// <summary>Eigenpruning on <c>mlContext.Llm()</c>.</summary>
public static class EigenpruneCatalogExtensions
{
    /// <summary>
    /// Removes the singular values of the model's weight matrices that hurt the task most, scored by a linear attribution
    /// estimate on the training rows (Eigenpruning, Vergara-Browne et al. 2024). Fit returns an <see cref="EigenprunedTransformer"/>.
    /// </summary>
    /// <param name="catalog">The LLMML catalog.</param>
    /// <param name="options">Settings; <c>ModelDirectory</c> is loaded at Fit unless <paramref name="model"/> is given.</param>
    /// <param name="model">A loaded model to start from; it is copied, never modified.</param>
    public static EigenpruneEstimator Eigenprune(this LlmCatalog catalog, EigenpruneOptions options, LanguageModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EigenpruneEstimator(catalog.Context, options, model);
    }
}
