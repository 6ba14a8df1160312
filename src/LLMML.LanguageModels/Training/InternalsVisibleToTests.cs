using System.Runtime.CompilerServices;

// The atomic-write mechanism behind checkpoints is internal; its failure behaviour is tested directly.
[assembly: InternalsVisibleTo("LLMML.LanguageModels.Tests")]
