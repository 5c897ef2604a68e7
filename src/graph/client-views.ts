/**
 * The page's script, part 2: the views drawn in the browser.
 * - groups (large meshes): one box per namespace, packed into rows to fill the
 *   window; edges between boxes are aggregated (width grows with the count);
 *   a click expands a namespace in place (inner layout computed by meshc).
 * - focus: one node, what reaches it on the left, what it reaches on the
 *   right, edge labels beside each neighbour; everything else hidden.
 * - all (small meshes): the server-drawn SVG, kept to come back to.
 */
export const CLIENT_VIEWS = `
var expanded={},groupOf={},groupBoxes={},staticSvg=data.groups?'':vp.innerHTML;
(data.groups||[]).forEach(function(g){groupOf[g.ns]=g;});
var HEAD=34,PAD=14,GAP=26,CW=196,CH=60;
function nsLabel(ns){return ns||'(mesh-wide)';}
function blockSize(g){return expanded[g.ns]?{w:Math.max(g.w+2*PAD,nsLabel(g.ns).length*9+150),h:g.h+HEAD+PAD}:{w:Math.max(CW,nsLabel(g.ns).length*9+28),h:CH};}
/** Shelf-pack the boxes, rows as wide as makes the whole about as wide as the window in proportion. */
function pack(){var r=svg.getBoundingClientRect(),aspect=Math.max(0.6,r.width/Math.max(200,r.height-60));var sizes=data.groups.map(blockSize),area=0,maxW=0;
sizes.forEach(function(s){area+=(s.w+GAP)*(s.h+GAP);maxW=Math.max(maxW,s.w);});
var rowW=Math.max(maxW,Math.sqrt(area*aspect)),x=0,y=0,rowH=0,boxes={};
data.groups.forEach(function(g,i){var s=sizes[i];if(x>0&&x+s.w>rowW){x=0;y+=rowH+GAP;rowH=0;}boxes[g.ns]={x:x,y:y,w:s.w,h:s.h};x+=s.w+GAP;rowH=Math.max(rowH,s.h);});return boxes;}
var memberAt={};
/** What a node is drawn as right now in the groups view: itself (namespace expanded) or its namespace's box. */
function visibleKey(id){return memberAt[id]?id:'ns:'+byId[id].namespace;}
function clip(r,tx,ty){var cx=r.x+r.w/2,cy=r.y+r.h/2,dx=tx-cx,dy=ty-cy;if(!dx&&!dy)return[cx,cy];
var s=Math.min(dx?Math.abs(r.w/2/dx):1/0,dy?Math.abs(r.h/2/dy):1/0);return[cx+dx*s,cy+dy*s];}
/** A gently bent line between two boxes (a→b and b→a bend to opposite sides). */
function link(ra,rb){var a=clip(ra,rb.x+rb.w/2,rb.y+rb.h/2),b=clip(rb,ra.x+ra.w/2,ra.y+ra.h/2),dx=b[0]-a[0],dy=b[1]-a[1];
return 'M'+r1(a[0])+','+r1(a[1])+' Q'+r1((a[0]+b[0])/2-dy*0.12)+','+r1((a[1]+b[1])/2+dx*0.12)+' '+r1(b[0])+','+r1(b[1]);}
function renderGroups(){view='groups';focusId=null;backBtn.hidden=true;var boxes=groupBoxes=pack(),frames=[],tops=[],lines=[],agg={},order=[];memberAt={};
data.groups.forEach(function(g){var b=boxes[g.ns],ns=esc(g.ns);
if(expanded[g.ns]){frames.push('<g class="group open" data-ns="'+ns+'"><rect x="'+r1(b.x)+'" y="'+r1(b.y)+'" width="'+r1(b.w)+'" height="'+r1(b.h)+'" rx="10"/>'
+'<text class="gname" x="'+r1(b.x+PAD)+'" y="'+r1(b.y+23)+'">'+esc(nsLabel(g.ns))+'</text><text class="sub" x="'+r1(b.x+b.w-PAD)+'" y="'+r1(b.y+22)+'" text-anchor="end">click to collapse</text></g>');
Object.keys(g.at).forEach(function(id){var a=g.at[id],r={x:b.x+PAD+a[0],y:b.y+HEAD+a[1],w:a[2],h:a[3]};memberAt[id]=r;tops.push(nodeSvg(byId[id],r));});}
else tops.push('<g class="group" data-ns="'+ns+'" transform="translate('+r1(b.x)+','+r1(b.y)+')"><title>'+esc(nsLabel(g.ns))+': click to expand</title><rect width="'+r1(b.w)+'" height="'+b.h+'" rx="8"/>'
+'<text class="gname" x="14" y="25">'+esc(nsLabel(g.ns))+'</text><text class="sub" x="14" y="45">'+(g.ns?g.services+' services · '+g.identities+' identities':'every identity (permissive)')+'</text></g>');});
data.edges.forEach(function(e){var a=visibleKey(e.from),b=visibleKey(e.to);if(a===b)return;
// Only edges inside an opened namespace are drawn one by one; the rest join their namespaces' line (drawn from the frame).
if(memberAt[a]&&memberAt[b]&&byId[a].namespace===byId[b].namespace){lines.push('<path class="edge '+e.kind+'" data-edge="'+esc(e.id)+'" d="'+link(memberAt[a],memberAt[b])+'"'+(e.kind==='serves'?'':' marker-end="url(#m-'+e.kind+')"')+'><title>'+esc(name(e.from)+' → '+name(e.to)+': '+e.label)+'</title></path>');return;}
a='ns:'+byId[e.from].namespace;b='ns:'+byId[e.to].namespace;var k=a+'>'+b,x=agg[k];if(!x){x=agg[k]={a:a,b:b,n:0};order.push(k);}x.n++;});
order.forEach(function(k){var x=agg[k],ra=boxes[x.a.slice(3)],rb=boxes[x.b.slice(3)];
lines.push('<path class="edge agg" data-agg="'+esc(k)+'" d="'+link(ra,rb)+'" stroke-width="'+r1(1+Math.min(4,Math.log2(x.n)))+'"><title>'+esc(label(x.a)+' → '+label(x.b)+': '+x.n+' edge(s)')+'</title></path>');});
vp.innerHTML=frames.join('')+lines.join('')+tops.join('');selected=null;svg.classList.remove('dim');markMatches();}
/** A selected node's edge that is folded into a namespace line, drawn on its own on top while selected. */
function overlay(e,id){var other=e.from===id?e.to:e.from,ro=memberAt[other]||groupBoxes[byId[other].namespace],rs=memberAt[id];if(!rs||!ro)return;
var p=document.createElementNS('http://www.w3.org/2000/svg','path');p.setAttribute('class','edge '+e.kind+' hl overlay');p.setAttribute('data-edge',e.id);
p.setAttribute('d',e.from===id?link(rs,ro):link(ro,rs));if(e.kind!=='serves')p.setAttribute('marker-end','url(#m-'+e.kind+')');vp.insertBefore(p,vp.querySelector('.node'));}
function label(key){return key.indexOf('ns:')===0?'namespace '+nsLabel(key.slice(3)):name(key);}
function toggleNs(ns){expanded[ns]=!expanded[ns];renderGroups();if(expanded[ns]){var b=groupBoxes[ns];show({x:b.x,y:b.y,width:b.w,height:b.h},1.2,true);nsPanel(ns);}else fit();}
/** Namespace summary: what it holds and which namespaces it talks to. */
function nsPanel(ns){var g=groupOf[ns],to={},from={};data.edges.forEach(function(e){var a=byId[e.from].namespace,b=byId[e.to].namespace;if(a===b||e.kind==='serves')return;
if(a===ns)to[b]=(to[b]||0)+1;if(b===ns)from[a]=(from[a]||0)+1;});panel.textContent='';panel.appendChild(el('h2','','namespace '+nsLabel(ns)));
panel.appendChild(el('div','sub',g.services+' services · '+g.identities+' identities. Click a node for what it can reach; its namespace box to fold it again.'));
[['Reaches into',to],['Reached from',from]].forEach(function(s){var keys=Object.keys(s[1]).sort(function(a,b){return s[1][b]-s[1][a]||(a<b?-1:1);});
panel.appendChild(el('h3','',s[0]+' ('+keys.length+' namespaces)'));var ul=el('ul');keys.slice(0,LIST_MAX).forEach(function(k){ul.appendChild(el('li','',nsLabel(k)+': '+s[1][k]+' edge(s)'));});panel.appendChild(ul);});}

/** A side with more than FOLD_ABOVE neighbours shows them folded by namespace: one box each, with the count. */
var FOLD_ABOVE=48;
function focus(id){var n=byId[id];if(!n)return;view='focus';focusId=id;backBtn.hidden=false;var left=[],right=[],seen={};seen[id]=1;
ins[id].forEach(function(e){if(!seen[e.from]){seen[e.from]=1;left.push(e.from);}});outs[id].forEach(function(e){if(!seen[e.to]){seen[e.to]=1;right.push(e.to);}});
var nIn=left.length,nOut=right.length,foldOf={},folded={};
function fold(ids,side){if(ids.length<=FOLD_ABOVE)return ids;var keys=[];ids.forEach(function(i){var k=side+':'+byId[i].namespace;foldOf[i]=k;
if(!folded[k]){folded[k]={ns:byId[i].namespace,n:0,edges:0,side:side};keys.push(k);}folded[k].n++;});return keys;}
left=fold(left,'in');right=fold(right,'out');
function wOf(k){return folded[k]?Math.max(180,nsLabel(folded[k].ns).length*9+28):nodeW(byId[k]);}
// A side with many neighbours wraps into several columns of at most PER_COL.
var ROW=62,GAPX=300,PER_COL=24,colW=function(ids){return ids.reduce(function(m,i){return Math.max(m,wOf(i));},0);};
var cols=function(ids){return Math.ceil(ids.length/PER_COL);},rows=function(ids){return Math.min(PER_COL,ids.length);};
var lw=colW(left),rw=colW(right),cw=nodeW(n),H=Math.max(1,rows(left),rows(right))*ROW,cx=left.length?cols(left)*(lw+GAPX):0,rx=cx+cw+GAPX,pos={},parts=[],labels=[];
left.forEach(function(i,k){var w=wOf(i),c=cols(left)-1-Math.floor(k/PER_COL),r=k%PER_COL,inCol=Math.min(PER_COL,left.length-Math.floor(k/PER_COL)*PER_COL);
pos[i]={x:c*(lw+GAPX)+lw-w,y:(H-inCol*ROW)/2+r*ROW,w:w,h:44};});
right.forEach(function(i,k){var c=Math.floor(k/PER_COL),r=k%PER_COL,inCol=Math.min(PER_COL,right.length-c*PER_COL);pos[i]={x:rx+c*(rw+GAPX),y:(H-inCol*ROW)/2+r*ROW,w:wOf(i),h:44};});
pos[id]={x:cx,y:H/2-22-9,w:cw,h:44};
var perNeighbour={},c=pos[id];
function labelAt(o,onLeft,slot,cls,key,text){labels.push('<text class="elabel '+cls+'" data-label="'+esc(key)+'" x="'+r1(onLeft?o.x+o.w+8:o.x-8)+'" y="'+r1(o.y+16+(slot-1)*13)+'" text-anchor="'+(onLeft?'start':'end')+'">'+esc(text)+'</text>');}
outs[id].concat(ins[id]).forEach(function(e){var other=e.from===id?e.to:e.from,key=foldOf[other]||other,o=pos[key],f=folded[key];if(!o||other===id)return;
if(f&&f.edges++)return;var slot=perNeighbour[key]=(perNeighbour[key]||0)+1;
var onLeft=o.x<c.x,x1=onLeft?o.x+o.w:c.x+c.w,y1=onLeft?o.y+22:c.y+22,x2=onLeft?c.x:o.x,y2=onLeft?c.y+22:o.y+22,into=e.to===id;
var d=(onLeft&&!into)||(!onLeft&&into)?'M'+r1(x2)+','+r1(y2)+' C'+r1(x2-GAPX/2)+','+r1(y2)+' '+r1(x1+GAPX/2)+','+r1(y1)+' '+r1(x1)+','+r1(y1)
:'M'+r1(x1)+','+r1(y1)+' C'+r1(x1+GAPX/2)+','+r1(y1)+' '+r1(x2-GAPX/2)+','+r1(y2)+' '+r1(x2)+','+r1(y2);
if(f){parts.push('<path class="edge '+e.kind+'" data-agg="'+esc(key)+'" d="'+d+'"'+(e.kind==='serves'?'':' marker-end="url(#m-'+e.kind+')"')+'/>');return;}
parts.push('<path class="edge '+e.kind+'" data-edge="'+esc(e.id)+'" d="'+d+'"'+(e.kind==='serves'?'':' marker-end="url(#m-'+e.kind+')"')+'><title>'+esc(name(e.from)+' → '+name(e.to)+': '+e.label)+'</title></path>');
labelAt(o,onLeft,slot,e.kind,e.id,e.kind==='serves'?'runs as':e.label.length>44?e.label.slice(0,43)+'…':e.label);});
Object.keys(folded).forEach(function(k){labelAt(pos[k],folded[k].side==='in',1,'',k,folded[k].edges+' edge(s)');});
var nodes=Object.keys(pos).map(function(k){if(!folded[k])return nodeSvg(byId[k],pos[k],k===id?' sel':'');var f=folded[k],r=pos[k];
return '<g class="group folded" data-fold="'+esc(k)+'" transform="translate('+r1(r.x)+','+r1(r.y)+')"><title>'+f.n+' nodes in '+esc(nsLabel(f.ns))+': search a name or see the panel</title><rect width="'+r1(r.w)+'" height="44" rx="8"/>'
+'<text class="gname" x="12" y="19">'+esc(nsLabel(f.ns))+'</text><text class="sub" x="12" y="36">'+f.n+' '+(f.side==='in'?'reach it':'reached')+'</text></g>';});
var head='<text class="ftitle" x="'+r1(c.x+c.w/2)+'" y="'+r1(c.y-14)+'" text-anchor="middle">'+nIn+' in · '+nOut+' out</text>';
vp.innerHTML=parts.join('')+labels.join('')+nodes.join('')+head;svg.classList.remove('dim');selected=id;fit();fillPanel(id);markMatches();}
function back(){if(data.groups){renderGroups();fit();}else{view='all';focusId=null;backBtn.hidden=true;vp.innerHTML=staticSvg;deselect();fit();}}

vp.addEventListener('click',function(e){if(moved)return;var nd=e.target.closest('.node');
if(nd){e.stopPropagation();var id=nd.getAttribute('data-id');if(view==='focus'&&id!==focusId)focus(id);else select(id);return;}
var gr=e.target.closest('[data-ns]');if(gr&&view==='groups'){e.stopPropagation();toggleNs(gr.getAttribute('data-ns'));}});
vp.addEventListener('dblclick',function(e){var nd=e.target.closest('.node');if(nd)focus(nd.getAttribute('data-id'));});
svg.addEventListener('click',function(e){if(moved||e.target.closest('.node,[data-ns]'))return;deselect();});
window.addEventListener('resize',function(){if(view==='groups')renderGroups();fit();});
if(data.groups)renderGroups();fit();
`;
