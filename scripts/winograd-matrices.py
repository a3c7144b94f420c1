#!/usr/bin/env python3
"""Derives the Winograd F(4, 5) matrices of src/Cohort.Tensors/Kernels/WinogradTransforms.cs with exact
fractions (points 0, 1, -1, 2, -2, 1/2, -1/2 and infinity), checks y = AT[(G g) * (BT d)] against the
direct 5-tap correlation on random integers, and prints BT, G and AT.  Usage: scripts/winograd-matrices.py"""
from fractions import Fraction as F
import random
pts=[F(0),F(1),F(-1),F(2),F(-2),F(1,2),F(-1,2)]
m,r=4,5; a=m+r-1
def polymul(p,q):
    out=[F(0)]*(len(p)+len(q)-1)
    for i,x in enumerate(p):
        for j,y in enumerate(q): out[i+j]+=x*y
    return out
BT=[]
for i in range(7):
    poly=[F(1)]
    for k in range(7):
        if k!=i: poly=polymul(poly,[-pts[k],F(1)])
    BT.append(poly+[F(0)]*(a-len(poly)))
poly=[F(1)]
for k in range(7): poly=polymul(poly,[-pts[k],F(1)])
BT.append(poly)
G=[]
for i in range(7):
    den=F(1)
    for k in range(7):
        if k!=i: den*=(pts[i]-pts[k])
    G.append([pts[i]**j/den for j in range(r)])
G.append([F(0)]*(r-1)+[F(1)])
AT=[[pts[i]**rr for i in range(7)]+[F(1) if rr==m-1 else F(0)] for rr in range(m)]
# verify
d=[F(random.randint(-9,9)) for _ in range(a)]; g=[F(random.randint(-9,9)) for _ in range(r)]
U=[sum(G[i][j]*g[j] for j in range(r)) for i in range(a)]
V=[sum(BT[i][j]*d[j] for j in range(a)) for i in range(a)]
y=[sum(AT[k][i]*U[i]*V[i] for i in range(a)) for k in range(m)]
direct=[sum(g[j]*d[k+j] for j in range(r)) for k in range(m)]
assert y == direct, (y, direct)
print('F(4,5) reproduces the correlation exactly')
for row in BT: print([str(x) for x in row])
print()
for row in G: print([str(x) for x in row])
print()
for row in AT: print([str(x) for x in row])
