using LLMML.Complexity.Coding;using LLMML.LanguageModels.Adapters;using LLMML.LanguageModels.Generation;using System.Text.RegularExpressions;
var M=LanguageModel.Load(args[0]);var r=PayloadReader.Open(args[1]);int k=(int)r.ReadGamma(),b=(int)r.ReadGamma();
LoraAdapters.Apply(M.Model,new(){Rank=k,Alpha=r.ReadGamma(),TargetPattern=r.ReadBit()?"_proj$":"[qv]_proj$"});
foreach(var a in LoraAdapters.Adapters(M.Model)){WeightQuantisation.Read(r,a.lora_A,b);WeightQuantisation.Read(r,a.lora_B,b);}
foreach(var c in File.ReadLines(args[2]).Chunk(64))foreach(var o in M.Generate(c,new()))Console.WriteLine(Regex.Match(o,@"^ ([\p{L}\p{N}]*)").Groups[1]);
