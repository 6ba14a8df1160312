using System.Runtime.CompilerServices;

// The modeling tests check internal layout helpers (key maps, mask builders) directly.
[assembly: InternalsVisibleTo("LLMML.LanguageModels.Tests")]
