using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Catalog;
using LLMML.TracrInjection.Transforms;

// In Microsoft.ML's namespace, next to mlContext.Llm(), so the extension is found without an extra using.
namespace Microsoft.ML;

/// <summary>Tracr-injection on <c>mlContext.Llm()</c>.</summary>
public static class TracrInjectCatalogExtensions
{
    /// <summary>
    /// Distils a compiled RASP program into a copy of the language model (tracr-injection): Fit returns a
    /// <see cref="TracrInjectTransformer"/> that generates answers and decodes the program's variables from the LM's residual stream.
    /// </summary>
    /// <param name="catalog">The LLMML catalog.</param>
    /// <param name="options">Settings; <c>ModelDirectory</c> is loaded at Fit unless <paramref name="model"/> is given.</param>
    /// <param name="model">A loaded model to start from; it is copied, never modified.</param>
    public static TracrInjectTrainer TracrInject(this LlmCatalog catalog, TracrInjectOptions options, LanguageModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TracrInjectTrainer(catalog.Context, options, model);
    }
}
