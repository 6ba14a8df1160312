namespace LLMML.Citations.Synthetic;

/// <summary>
/// The canonical tracks of the synthetic ACL-like graph, with relative sizes loosely after ACL/EMNLP 2018–2023.
/// The real mapping has about 27 tracks; these names are ours.
/// </summary>
public static class AclTracks
{
    /// <summary>The interpretability and analysis track (from 2020).</summary>
    public const string Interpretability = "Interpretability and Analysis";

    /// <summary>The large language model track (from 2023 in the paper's mapping; here from 2022 to have two years).</summary>
    public const string LargeLanguageModels = "Large Language Models";

    /// <summary>Track names and relative sizes.</summary>
    public static IReadOnlyList<(string Name, double Weight)> All { get; } =
    [
        (Interpretability, 5), ("Machine Learning for NLP", 9), (LargeLanguageModels, 6), ("Dialogue", 6),
        ("Machine Translation", 6), ("Syntax", 2.5), ("Ethics", 2.5), ("Information Extraction", 7),
        ("Summarization", 3.5), ("Question Answering", 5), ("Semantics", 4), ("Sentiment Analysis", 3),
        ("Generation", 5), ("Resources and Evaluation", 5), ("Multilinguality", 3), ("Speech", 2),
        ("Multimodality", 3.5), ("Information Retrieval", 2.5), ("Computational Social Science", 3),
        ("Discourse", 2), ("Phonology and Morphology", 1.5), ("Linguistic Theories", 1), ("NLP Applications", 4),
        ("Efficient Methods", 2), ("Theme", 1), ("Lexical Semantics", 2), ("Language Grounding", 2),
    ];
}
