using LLMML.Complexity.Coding;using LLMML.LanguageModels.Adapters;using LLMML.LanguageModels.Answers;using LLMML.LanguageModels.Generation;using LLMML.LanguageModels.Training;using System.Text.RegularExpressions;
var M=LanguageModel.Load(args[0]);var d=new ArithmeticDecoder(CodedBits.Read(args[1]));int G()=>(int)EliasGamma.Decode(d);
int n=G(),B=G(),T=G(),s=G()-1,R=G()-1,z=0,e=(n+B-1)/B;var C=new LanguageModelCoder(M,G());var L=G()*Math.Pow(10,-G());
if(R>0)LoraAdapters.Apply(M.Model,new(){Rank=R,TargetPattern="_proj$",Seed=s});var X=new List<PromptAnswerTokens>();var q=new CancellationTokenSource();
new TrainingLoop().Run(M.Model,t=>{var i=(int)t.Step*B;int[]I;if(t.Step<e){foreach(var w in C.DecodeRows(d,Math.Min(B,n-i))){var x=M.Decode(w);var j=x.LastIndexOf(' ');var p=M.EncodeContinuation(x[..j],x[j..]);X.Add(new(p.Prompt,[..p.Answer,M.EndOfSequenceIds[0]]));}
if(t.Step==e-1)z=G();I=Enumerable.Range(i,Math.Min(B,n-i)).ToArray();}else{I=Enumerable.Range(0,n).ToArray();new Random(t.Seed).Shuffle(I);I=I[..Math.Min(B,n)];}
if(t.Step==z-1)q.Cancel();return AnswerFineTuning.Loss(M,I.Select(k=>X[k]).ToArray());},TrainingOptions.ShortRun(T,L,s,"p"),null,q.Token);
foreach(var c in File.ReadLines(args[2]).Chunk(64))foreach(var o in M.Generate(c,new()))Console.WriteLine(Regex.Match(o,@"^ ([\p{L}\p{N}]*)").Groups[1]);
