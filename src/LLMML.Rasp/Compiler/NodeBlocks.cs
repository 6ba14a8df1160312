namespace LLMML.Rasp.Compiler;

/// <summary>The blocks one SOp compiles to: a head, an MLP, or both (SelectorWidth).</summary>
public sealed record NodeBlocks(AttentionHeadBlock? Head, MlpBlock? Mlp);
