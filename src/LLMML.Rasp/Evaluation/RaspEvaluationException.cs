namespace LLMML.Rasp.Evaluation;

/// <summary>A program cannot be evaluated on an input; the message names the node.</summary>
public sealed class RaspEvaluationException(string message) : Exception(message);
