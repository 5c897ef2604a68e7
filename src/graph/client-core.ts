/**
 * The page's script, part 1 (plain ES2017 in a string, no dependencies; the
 * parts share one function scope): data and indexes, pan/zoom/fit, the
 * details panel, selection highlight and search. The views (namespace
 * groups, focus on a node) are in ./client-views.ts.
 */
export const CLIENT_CORE = `
var data=JSON.parse(document.getElementById('graph-data').textContent);
var svg=document.getElementById('graph'),vp=document.getElementById('viewport'),panel=document.getElementById('panel');
var input=document.getElementById('search'),results=document.getElementById('results'),backBtn=document.getElementById('back');
var t={x:0,y:0,k:1},view=data.groups?'groups':'all',focusId=null,selected=null;
var byId={},outs={},ins={};
data.nodes.forEach(function(n){byId[n.id]=n;outs[n.id]=[];ins[n.id]=[];});
data.edges.forEach(function(e){if(outs[e.from])outs[e.from].push(e);if(ins[e.to])ins[e.to].push(e);});
function esc(s){return String(s).replace(/[&<>"']/g,function(c){return '&#'+c.charCodeAt(0)+';';});}
function r1(n){return Math.round(n*10)/10;}
function name(id){var n=byId[id];return n?(n.kind==='any'||n.kind==='external'?n.name:n.namespace+'/'+n.name):id;}
function sub(n){if(n.kind==='service')return 'service · '+(n.details.join(', ')||'no ports')+(n.splitRoot?' · split':'');
if(n.kind==='identity')return 'identity · '+(n.details.length?n.details.length+' workload(s)':'no workload');if(n.kind==='external')return 'outside the mesh · '+n.details.join(', ');return 'permissive mode';}
function nodeW(n){var a=name(n.id),b=sub(n);return Math.max(90,Math.min(360,Math.ceil(Math.max(a.length,b.length)*6.6)+24));}
function nodeSvg(n,r,extra){return '<g class="node '+n.kind+(n.splitRoot?' split':'')+(extra||'')+'" data-id="'+esc(n.id)+'" transform="translate('+r1(r.x)+','+r1(r.y)+')"><rect width="'+r1(r.w)+'" height="'+r.h+'" rx="'+(n.kind==='identity'?22:6)+'"/>'
+'<text x="'+r1(r.w/2)+'" y="18" text-anchor="middle">'+esc(name(n.id))+'</text><text class="sub" x="'+r1(r.w/2)+'" y="33" text-anchor="middle">'+esc(sub(n))+'</text></g>';}
function q(sel){return vp.querySelector(sel);}
function attr(a,v){return '['+a+'="'+CSS.escape(v)+'"]';}

// Pan and zoom: the viewport group carries one translate+scale transform.
function apply(){vp.setAttribute('transform','translate('+r1(t.x)+','+r1(t.y)+') scale('+Math.round(t.k*10000)/10000+')');}
/** Fit a box (user units) into the stage below the header, at most maxK. */
function show(b,maxK,widthOnly){var r=svg.getBoundingClientRect(),top=document.querySelector('header').getBoundingClientRect().bottom-r.top+10;if(!b||!b.width)return;
var kw=(r.width-40)/b.width,kh=(r.height-top-44)/b.height,k=Math.min(widthOnly?kw:Math.min(kw,kh),maxK||1.5);
// A box taller than the window (an opened namespace) is shown from its top.
t={k:k,x:(r.width-b.width*k)/2-b.x*k,y:top+Math.max(0,(r.height-top-b.height*k)/2)-b.y*k};apply();}
function fit(){show(vp.getBBox(),1.5);}
function boxOf(els){var s=svg.getBoundingClientRect(),x0=1/0,y0=1/0,x1=-1/0,y1=-1/0;els.forEach(function(e){if(!e)return;var r=e.getBoundingClientRect();
x0=Math.min(x0,r.left);y0=Math.min(y0,r.top);x1=Math.max(x1,r.right);y1=Math.max(y1,r.bottom);});
return x0>x1?null:{x:(x0-s.left-t.x)/t.k,y:(y0-s.top-t.y)/t.k,width:(x1-x0)/t.k,height:(y1-y0)/t.k};}
function zoom(f,cx,cy){var k=Math.max(0.02,Math.min(8,t.k*f));t.x=cx-(cx-t.x)*k/t.k;t.y=cy-(cy-t.y)*k/t.k;t.k=k;apply();}
svg.addEventListener('wheel',function(e){e.preventDefault();var r=svg.getBoundingClientRect();zoom(Math.exp(-e.deltaY*0.0015),e.clientX-r.left,e.clientY-r.top);},{passive:false});
var drag=null,moved=false;
svg.addEventListener('pointerdown',function(e){drag={x:e.clientX,y:e.clientY,tx:t.x,ty:t.y};moved=false;svg.classList.add('drag');});
window.addEventListener('pointermove',function(e){if(!drag)return;var dx=e.clientX-drag.x,dy=e.clientY-drag.y;if(Math.abs(dx)+Math.abs(dy)>3)moved=true;t.x=drag.tx+dx;t.y=drag.ty+dy;apply();});
window.addEventListener('pointerup',function(){drag=null;svg.classList.remove('drag');});
function center(f){var r=svg.getBoundingClientRect();zoom(f,r.width/2,r.height/2);}
document.getElementById('zin').onclick=function(){center(1.25);};
document.getElementById('zout').onclick=function(){center(0.8);};
document.getElementById('zfit').onclick=fit;
backBtn.onclick=function(){back();};

// The details panel.
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
function item(e,other){var li=el('li',e.kind==='denied'?'deny':'');var a=el('a','go',name(other));a.setAttribute('data-go',other);a.href='#';li.appendChild(a);li.appendChild(el('span','sub','  ('+e.kind+')'));
if(e.label)li.appendChild(el('div','sub',e.label));if(e.via.length)li.appendChild(el('div','sub','via '+e.via.join(', ')));return li;}
var LIST_MAX=200;
function fillPanel(id){var n=byId[id];panel.textContent='';panel.appendChild(el('h2','',name(id)));panel.appendChild(el('div','sub',n.kind+(n.details.length?' · '+n.details.join(', '):'')));
if(!(view==='focus'&&focusId===id)){var b=el('button','focus','Focus: only it and its neighbours');b.setAttribute('data-focus',id);panel.appendChild(b);}
[[n.kind==='service'?'Routes to / runs as':'Can reach',outs[id],'to'],['Reached by',ins[id],'from']].forEach(function(s){
panel.appendChild(el('h3','',s[0]+' ('+s[1].length+')'));var ul=el('ul');s[1].slice(0,LIST_MAX).forEach(function(e){ul.appendChild(item(e,e[s[2]]));});
if(s[1].length>LIST_MAX)ul.appendChild(el('li','sub','… and '+(s[1].length-LIST_MAX)+' more'));panel.appendChild(ul);});}
panel.addEventListener('click',function(e){var a=e.target.closest('[data-go]');if(a){e.preventDefault();go(a.getAttribute('data-go'));return;}
var b=e.target.closest('[data-focus]');if(b)focus(b.getAttribute('data-focus'));});

// Selection: the node, its edges and its neighbours (or the groups they are folded into) stay lit, the rest dims.
function clearHl(){Array.prototype.forEach.call(vp.querySelectorAll('.overlay'),function(x){x.remove();});Array.prototype.forEach.call(vp.querySelectorAll('.hl,.sel'),function(x){x.classList.remove('hl');x.classList.remove('sel');});}
function deselect(){selected=null;clearHl();svg.classList.remove('dim');}
function select(id){if(!byId[id])return;selected=id;clearHl();var g=q(attr('data-id',id));if(g){g.classList.add('hl');g.classList.add('sel');}
if(view!=='focus'){svg.classList.add('dim');outs[id].concat(ins[id]).forEach(function(e){var other=e.from===id?e.to:e.from;
var p=q(attr('data-edge',e.id));if(p){p.classList.add('hl');var lb=q(attr('data-label',e.id));if(lb)lb.classList.add('hl');}
else if(view==='groups')overlay(e,id);
var o=q(attr('data-id',other))||(view==='groups'?q(attr('data-ns',byId[other].namespace)):null);if(o)o.classList.add('hl');});}
fillPanel(id);}

// Search by service or identity name: the list shows matches, matching nodes (and groups holding one) are outlined,
// Enter or a click goes to the node.
function matches(s){s=s.trim().toLowerCase();if(!s)return[];var exact=[],exactOther=[],pre=[],part=[];
data.nodes.forEach(function(n){var full=name(n.id).toLowerCase(),nm=n.name.toLowerCase();
if(nm===s||full===s)(n.kind==='service'?exact:exactOther).push(n);else if(nm.indexOf(s)===0||full.indexOf(s)===0)pre.push(n);else if(full.indexOf(s)>=0)part.push(n);});return exact.concat(exactOther,pre,part);}
function markMatches(){Array.prototype.forEach.call(vp.querySelectorAll('.match'),function(x){x.classList.remove('match');});
var m=matches(input.value);m.forEach(function(n){var g=q(attr('data-id',n.id))||(view==='groups'?q(attr('data-ns',n.namespace)):null);if(g)g.classList.add('match');});return m;}
var RESULTS_MAX=12;
input.addEventListener('input',function(){var m=markMatches();results.textContent='';
m.slice(0,RESULTS_MAX).forEach(function(n){var li=el('li','',name(n.id));li.appendChild(el('span','sub',' '+n.kind));li.setAttribute('data-go',n.id);results.appendChild(li);});
if(m.length>RESULTS_MAX)results.appendChild(el('li','sub','… '+(m.length-RESULTS_MAX)+' more: type more of the name'));
if(!m.length&&input.value.trim())results.appendChild(el('li','sub','no service or identity matches'));results.hidden=!input.value.trim();});
input.addEventListener('keydown',function(e){if(e.key==='Enter'){var m=matches(input.value);if(m.length)go(m[0].id);}
if(e.key==='Escape'){input.value='';results.hidden=true;markMatches();input.blur();}});
document.addEventListener('pointerdown',function(e){if(!e.target.closest('#find'))results.hidden=true;});
results.addEventListener('click',function(e){var li=e.target.closest('[data-go]');if(li)go(li.getAttribute('data-go'));});
document.addEventListener('keydown',function(e){if(e.target===input)return;if(e.key==='/'){e.preventDefault();input.focus();}if(e.key==='Escape'){if(view==='focus')back();else deselect();}});

/** Go to a node: on a large mesh its focus view; on a small one select it and zoom to it and its neighbours. */
function go(id){if(!byId[id])return;results.hidden=true;if(data.groups){focus(id);return;}
if(view!=='all')back();select(id);var els=[q(attr('data-id',id))];outs[id].concat(ins[id]).forEach(function(e){els.push(q(attr('data-id',e.from===id?e.to:e.from)));});show(boxOf(els),1.5);}
`;
