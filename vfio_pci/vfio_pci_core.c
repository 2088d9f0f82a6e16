// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci: the VFIO bus driver for PCI devices.  This file owns the PCI
 * driver (probe/remove, module parameters), the device file callbacks
 * (open/close, ioctls, the read/write dispatch by region) and mmap() of
 * BARs with its page fault handler.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/aperture.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uuid.h>
#include <linux/vgaarb.h>

#include "vfio_pci_priv.h"

static char ids[1024] __initdata;
module_param_string(ids, ids, sizeof(ids), 0);
MODULE_PARM_DESC(ids, "Initial PCI IDs to add to the vfio-pci driver, format is \"vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]\", comma separated");

static bool nointxmask;
module_param(nointxmask, bool, 0644);
MODULE_PARM_DESC(nointxmask, "Disable support for PCI 2.3 style INTx masking");

static bool disable_vga;
module_param(disable_vga, bool, 0444);
MODULE_PARM_DESC(disable_vga, "Disable VGA resource access through vfio-pci");

static bool disable_denylist;
module_param(disable_denylist, bool, 0444);
MODULE_PARM_DESC(disable_denylist, "Disable use of the device denylist, allowing devices with known errata that may be exploitable by their user");

static struct pci_driver vfio_pci_driver;

/*
 * Hot resets look at other devices than their own: this lock keeps the
 * drvdata of every device bound to vfio-pci either NULL or a complete
 * struct vfio_pci_device that is not freed while it is held.  It also
 * protects each device's in_use and needs_reset, so that the bus reset
 * at release (vfio_pci_try_bus_reset()) never reaches an open device.
 */
static DEFINE_MUTEX(vfio_pci_reset_lock);

static struct vfio_pci_device *to_vfio_pci(struct vfio_device *core_vdev)
{
	return container_of(core_vdev, struct vfio_pci_device, vdev);
}

/* Devices with errata that make them unsafe to hand to a user */
static bool vfio_pci_dev_in_denylist(struct pci_dev *pdev)
{
	if (pdev->vendor != PCI_VENDOR_ID_INTEL)
		return false;

	switch (pdev->device) {
	case PCI_DEVICE_ID_INTEL_QAT_C3XXX:
	case PCI_DEVICE_ID_INTEL_QAT_C3XXX_VF:
	case PCI_DEVICE_ID_INTEL_QAT_C62X:
	case PCI_DEVICE_ID_INTEL_QAT_C62X_VF:
	case PCI_DEVICE_ID_INTEL_QAT_DH895XCC:
	case PCI_DEVICE_ID_INTEL_QAT_DH895XCC_VF:
	case PCI_DEVICE_ID_INTEL_DSA_SPR0:
	case PCI_DEVICE_ID_INTEL_IAX_SPR0:
		return true;
	default:
		return false;
	}
}

static bool vfio_pci_is_denylisted(struct pci_dev *pdev)
{
	if (!vfio_pci_dev_in_denylist(pdev))
		return false;

	if (disable_denylist) {
		pci_warn(pdev, "device denylist disabled - allowing device %04x:%04x\n",
			 pdev->vendor, pdev->device);
		return false;
	}

	pci_warn(pdev, "%04x:%04x is in the vfio-pci device denylist, probing disallowed\n",
		 pdev->vendor, pdev->device);
	return true;
}

/*
 * Devices that implement PCI_COMMAND_INTX_DISABLE but cannot report a
 * pending INTx in PCI_STATUS: rather than requiring an exclusive
 * interrupt, hide INTx from the user and keep it disabled.
 */
static bool vfio_pci_nointx(struct pci_dev *pdev)
{
	if (pdev->vendor != PCI_VENDOR_ID_INTEL)
		return false;

	switch (pdev->device) {
	case 0x1572:			/* i40e XL710/X710/XXV710 */
	case 0x1574:
	case 0x1580 ... 0x1581:
	case 0x1583 ... 0x158b:
	case 0x37d0 ... 0x37d2:
	case 0x1563:			/* X550 */
		return true;
	default:
		return false;
	}
}

static unsigned long vfio_pci_vma_pfn(struct vm_area_struct *vma,
				      unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

static void vfio_pci_mmap_open(struct vm_area_struct *vma)
{
	struct vfio_pci_vma *orig = vma->vm_private_data;
	struct vfio_pci_device *vdev = orig->vdev;
	struct vfio_pci_vma *mv;

	/* Cannot fail: an untracked VMA could not be zapped */
	mv = kzalloc(sizeof(*mv), GFP_KERNEL | __GFP_NOFAIL);
	mv->vdev = vdev;
	mv->vma = vma;
	mv->mapped = true;
	vma->vm_private_data = mv;

	mutex_lock(&vdev->vma_lock);
	list_add(&mv->next, &vdev->vma_list);
	mutex_unlock(&vdev->vma_lock);
}

static void vfio_pci_mmap_close(struct vm_area_struct *vma)
{
	struct vfio_pci_vma *mv = vma->vm_private_data;
	struct vfio_pci_device *vdev = mv->vdev;

	mutex_lock(&vdev->vma_lock);
	list_del(&mv->next);
	mutex_unlock(&vdev->vma_lock);
	kfree(mv);
}

static vm_fault_t vfio_pci_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vfio_pci_vma *mv = vma->vm_private_data;
	struct vfio_pci_device *vdev = mv->vdev;
	unsigned long addr;
	vm_fault_t ret;

	mutex_lock(&vdev->vma_lock);
	down_read(&vdev->memory_lock);

	if (!vfio_pci_memory_enabled(vdev)) {
		ret = VM_FAULT_SIGBUS;
		goto out_unlock;
	}

	ret = vmf_insert_pfn(vma, vmf->address,
			     vfio_pci_vma_pfn(vma, vmf->address));
	if (ret & VM_FAULT_ERROR)
		goto out_unlock;
	mv->mapped = true;

	/* BARs tend to be walked through: map the rest now, if we can */
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		if (addr == vmf->address)
			continue;
		if (vmf_insert_pfn(vma, addr, vfio_pci_vma_pfn(vma, addr)) &
		    VM_FAULT_ERROR)
			break;
	}

out_unlock:
	up_read(&vdev->memory_lock);
	mutex_unlock(&vdev->vma_lock);
	return ret;
}

static const struct vm_operations_struct vfio_pci_mmap_ops = {
	.open = vfio_pci_mmap_open,
	.close = vfio_pci_mmap_close,
	.fault = vfio_pci_mmap_fault,
};

static int vfio_pci_mmap(struct vfio_device *core_vdev,
			 struct vm_area_struct *vma)
{
	struct vfio_pci_device *vdev = to_vfio_pci(core_vdev);
	struct pci_dev *pdev = vdev->pdev;
	u64 phys_len, req_len, req_start, pgoff;
	struct vfio_pci_vma *mv;
	unsigned int index;
	int ret;

	index = vma->vm_pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT);

	if (index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	if (vma->vm_end < vma->vm_start)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (index >= VFIO_PCI_ROM_REGION_INDEX)
		return -EINVAL;
	if (!vdev->bar_mmap_supported[index])
		return -EINVAL;

	phys_len = PAGE_ALIGN(pci_resource_len(pdev, index));
	req_len = vma->vm_end - vma->vm_start;
	pgoff = vma->vm_pgoff &
		((1UL << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1);
	req_start = pgoff << PAGE_SHIFT;

	if (req_start + req_len > phys_len)
		return -EINVAL;

	/* The mapping does not use barmap, but the region must be ours */
	ret = vfio_pci_setup_barmap(vdev, index);
	if (ret)
		return ret;

	mv = vfio_fail_ptr(kzalloc(sizeof(*mv), GFP_KERNEL_ACCOUNT));
	if (!mv)
		return -ENOMEM;
	mv->vdev = vdev;
	mv->vma = vma;

	vma->vm_private_data = mv;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_pgoff = (pci_resource_start(pdev, index) >> PAGE_SHIFT) + pgoff;
	/* 6.1 has no vm_flags_set(); the fault handler cannot set these */
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &vfio_pci_mmap_ops;

	mutex_lock(&vdev->vma_lock);
	list_add(&mv->next, &vdev->vma_list);
	mutex_unlock(&vdev->vma_lock);
	return 0;
}

/*
 * Which BARs may be mmap()ed: memory BARs of at least a page, and smaller
 * ones that start a page whose rest we can reserve (so that nothing can
 * be put next to them while the user maps the whole page).  The
 * reservations live in vdev->dummy_res until close_device.
 */
static void vfio_pci_probe_mmaps(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	struct resource *res, *dummy;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		res = &pdev->resource[bar];
		vdev->bar_mmap_supported[bar] = false;

		if (!(res->flags & IORESOURCE_MEM) || !resource_size(res))
			continue;

		if (resource_size(res) >= PAGE_SIZE) {
			vdev->bar_mmap_supported[bar] = true;
			continue;
		}

		/* Where in its page an unaligned BAR lands is unknown */
		if (res->start & ~PAGE_MASK)
			continue;

		dummy = kzalloc(sizeof(*dummy), GFP_KERNEL_ACCOUNT);
		if (!dummy)
			continue;
		dummy->name = "vfio sub-page reserved";
		dummy->start = res->end + 1;
		dummy->end = res->start + PAGE_SIZE - 1;
		dummy->flags = res->flags;
		if (request_resource(res->parent, dummy)) {
			kfree(dummy);
			continue;
		}
		vdev->dummy_res[bar] = dummy;
		vdev->bar_mmap_supported[bar] = true;
	}
}

static void vfio_pci_release_dummy_res(struct vfio_pci_device *vdev)
{
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!vdev->dummy_res[bar])
			continue;
		release_resource(vdev->dummy_res[bar]);
		kfree(vdev->dummy_res[bar]);
		vdev->dummy_res[bar] = NULL;
	}
}

/*
 * Marks @vdev in use, or no longer: a bus reset at another device's
 * release never reaches a device in use.
 */
static void vfio_pci_set_in_use(struct vfio_pci_device *vdev, bool in_use)
{
	mutex_lock(&vfio_pci_reset_lock);
	vdev->in_use = in_use;
	mutex_unlock(&vfio_pci_reset_lock);
}

static int vfio_pci_open_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_device *vdev = to_vfio_pci(core_vdev);
	struct pci_dev *pdev = vdev->pdev;
	int ret;
	u16 cmd;

	vfio_pci_set_in_use(vdev, true);

	/* The state saved below must not include bus mastering */
	pci_clear_master(pdev);

	ret = vfio_fail_int(pci_enable_device(pdev));
	if (ret)
		goto out_unuse;

	/* A reset that cannot take the device lock fails the open */
	ret = pci_try_reset_function(pdev);
	if (ret == -EAGAIN)
		goto out_disable;
	vdev->reset_works = !ret;

	pci_save_state(pdev);
	vdev->pci_saved_state = pci_store_saved_state(pdev);
	if (!vdev->pci_saved_state)
		pci_dbg(pdev, "%s: couldn't store saved state\n", __func__);

	vdev->nointx = false;
	vdev->pci_2_3 = false;
	if (!nointxmask) {
		if (vfio_pci_nointx(pdev)) {
			pci_info(pdev, "Masking broken INTx support\n");
			vdev->nointx = true;
			pci_intx(pdev, 0);
		} else {
			vdev->pci_2_3 = pci_intx_mask_supported(pdev);
		}
	}

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	if (vdev->pci_2_3 && (cmd & PCI_COMMAND_INTX_DISABLE)) {
		cmd &= ~PCI_COMMAND_INTX_DISABLE;
		pci_write_config_word(pdev, PCI_COMMAND, cmd);
	}

	ret = vfio_pci_config_init(vdev);
	if (ret)
		goto out_free_state;

	if (pdev->msix_cap) {
		u16 flags;
		u32 table;

		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS,
				     &flags);
		pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_TABLE,
				      &table);
		vdev->msix_bar = table & PCI_MSIX_TABLE_BIR;
		vdev->msix_offset = table & PCI_MSIX_TABLE_OFFSET;
		vdev->msix_size = ((flags & PCI_MSIX_FLAGS_QSIZE) + 1) *
				  PCI_MSIX_ENTRY_SIZE;
	} else {
		vdev->msix_bar = VFIO_PCI_NO_MSIX_BAR;
	}

	vfio_pci_probe_mmaps(vdev);
	return 0;

out_free_state:
	kfree(vdev->pci_saved_state);
	vdev->pci_saved_state = NULL;
out_disable:
	pci_disable_device(pdev);
out_unuse:
	vfio_pci_set_in_use(vdev, false);
	return ret;
}

static void vfio_pci_try_bus_reset(struct vfio_pci_device *vdev);

static void vfio_pci_close_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_device *vdev = to_vfio_pci(core_vdev);
	struct pci_dev *pdev = vdev->pdev;
	bool reset_done = false;

	/* A reset through the PM capability needs D0 */
	down_write(&vdev->memory_lock);
	vfio_pci_set_power_state(vdev, PCI_D0);
	up_write(&vdev->memory_lock);

	/* Stop the device from further DMA */
	pci_clear_master(pdev);

	vfio_pci_irqs_release(vdev);
	vfio_pci_ioeventfds_release(vdev);
	vfio_pci_config_free(vdev);
	vfio_pci_release_barmaps(vdev);
	vfio_pci_release_dummy_res(vdev);

	/*
	 * Restore the state saved at open, after a reset if the device has
	 * one; without saved state, a reset with the current state still
	 * beats nothing.
	 */
	if (pci_load_and_free_saved_state(pdev, &vdev->pci_saved_state)) {
		pci_info(pdev, "%s: couldn't reload saved state\n", __func__);
		if (!vdev->reset_works)
			goto out_disable;
		pci_save_state(pdev);
	}

	/* No INTx, no decode, no DMA during the reset */
	pci_write_config_word(pdev, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE);

	/*
	 * The device lock may be held by whoever is unbinding us: try it
	 * only.  The locked reset does not save state over the restored one.
	 */
	if (vdev->reset_works && pci_dev_trylock(pdev)) {
		reset_done = !__pci_reset_function_locked(pdev);
		pci_dev_unlock(pdev);
	}

	pci_restore_state(pdev);
out_disable:
	pci_disable_device(pdev);
	mutex_lock(&vfio_pci_reset_lock);
	vdev->in_use = false;
	vdev->needs_reset = !reset_done;
	mutex_unlock(&vfio_pci_reset_lock);
	vfio_pci_try_bus_reset(vdev);
}

static int vfio_pci_ioctl_get_info(struct vfio_pci_device *vdev,
				   struct vfio_device_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	unsigned long capsz = offsetofend(struct vfio_device_info, cap_offset);
	struct vfio_device_info info;
	int ret;

	ret = VFIO_COPY_ARG(&info, arg, num_irqs);
	if (ret)
		return ret;

	/* No device capabilities: cap_offset stays 0 for whoever asks */
	if (info.argsz >= capsz) {
		minsz = capsz;
		info.cap_offset = 0;
	}

	info.flags = VFIO_DEVICE_FLAGS_PCI;
	if (vdev->reset_works)
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* GET_REGION_INFO of a BAR: its size, and whether it may be mmap()ed */
static int vfio_pci_bar_info(struct vfio_pci_device *vdev,
			     struct vfio_region_info *info,
			     struct vfio_info_cap *caps)
{
	u16 id = VFIO_REGION_INFO_CAP_MSIX_MAPPABLE;
	struct vfio_info_cap_header *cap;

	info->size = pci_resource_len(vdev->pdev, info->index);
	if (!info->size) {
		info->flags = 0;
		return 0;
	}

	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	if (!vdev->bar_mmap_supported[info->index])
		return 0;
	info->flags |= VFIO_REGION_INFO_FLAG_MMAP;

	/* The MSI-X table may be mapped: tell the user */
	if (info->index == vdev->msix_bar) {
		cap = vfio_info_cap_add(caps, sizeof(*cap), id, 1);
		if (IS_ERR(cap))
			return PTR_ERR(cap);
	}
	return 0;
}

/* GET_REGION_INFO of the ROM: readable only if there is a ROM in it */
static void vfio_pci_rom_info(struct vfio_pci_device *vdev,
			      struct vfio_region_info *info)
{
	struct pci_dev *pdev = vdev->pdev;
	void __iomem *io;
	size_t size;
	u16 cmd;

	info->flags = 0;

	/* The size of the BAR, not of the ROM in it */
	info->size = pci_resource_len(pdev, info->index);
	if (!info->size) {
		/* A shadow ROM appears as an option ROM */
		if (!(pdev->resource[PCI_ROM_RESOURCE].flags &
		      IORESOURCE_ROM_SHADOW))
			return;
		info->size = VFIO_PCI_SHADOW_ROM_SIZE;
	}

	/*
	 * Is there a ROM?  pci_map_rom() needs memory decode, and bar_lock
	 * keeps ROM reads from unmapping it meanwhile.
	 */
	mutex_lock(&vdev->bar_lock);
	cmd = vfio_pci_memory_lock_and_enable(vdev);
	io = pci_map_rom(pdev, &size);
	if (io) {
		info->flags = VFIO_REGION_INFO_FLAG_READ;
		pci_unmap_rom(pdev, io);
	} else {
		info->size = 0;
	}
	vfio_pci_memory_unlock_and_restore(vdev, cmd);
	mutex_unlock(&vdev->bar_lock);
}

static int vfio_pci_ioctl_get_region_info(struct vfio_pci_device *vdev,
					  struct vfio_region_info __user *arg)
{
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_region_info info;
	int ret;

	ret = VFIO_COPY_ARG(&info, arg, offset);
	if (ret)
		return ret;

	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.size = vdev->pdev->cfg_size;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		ret = vfio_pci_bar_info(vdev, &info, &caps);
		if (ret)
			return ret;
		break;
	case VFIO_PCI_ROM_REGION_INDEX:
		vfio_pci_rom_info(vdev, &info);
		break;
	case VFIO_PCI_VGA_REGION_INDEX:
		if (!vdev->has_vga)
			return -EINVAL;
		info.size = VFIO_PCI_VGA_REGION_SIZE;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	default:
		return -EINVAL;
	}
	info.offset = VFIO_PCI_INDEX_TO_OFFSET(info.index);

	if (caps.size)
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
	ret = vfio_info_cap_copy(&caps, arg, sizeof(info), &info.argsz,
				 &info.cap_offset);
	kfree(caps.buf);
	if (ret)
		return ret;

	return copy_to_user(arg, &info, offsetofend(typeof(info), offset)) ?
	       -EFAULT : 0;
}

static int vfio_pci_ioctl_get_irq_info(struct vfio_pci_device *vdev,
				       struct vfio_irq_info __user *arg)
{
	struct vfio_irq_info info;
	int ret;

	ret = VFIO_COPY_ARG(&info, arg, count);
	if (ret)
		return ret;

	if (info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;

	if (info.index == VFIO_PCI_ERR_IRQ_INDEX && !pci_is_pcie(vdev->pdev))
		return -EINVAL;

	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = vfio_pci_get_irq_count(vdev, info.index);

	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags |= VFIO_IRQ_INFO_MASKABLE |
			      VFIO_IRQ_INFO_AUTOMASKED;
	else
		info.flags |= VFIO_IRQ_INFO_NORESIZE;

	return copy_to_user(arg, &info, offsetofend(typeof(info), count)) ?
	       -EFAULT : 0;
}

static int vfio_pci_ioctl_set_irqs(struct vfio_pci_device *vdev,
				   struct vfio_irq_set __user *arg)
{
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int max, ret;

	ret = VFIO_COPY_ARG(&hdr, arg, count);
	if (ret)
		return ret;

	max = vfio_pci_get_irq_count(vdev, hdr.index);

	ret = vfio_set_irqs_validate_and_prepare(&hdr, max, VFIO_PCI_NUM_IRQS,
						 &data_size);
	if (ret)
		return ret;

	if (data_size) {
		data = vfio_fail_errptr(memdup_user(&arg->data, data_size));
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&vdev->igate);
	ret = vfio_pci_set_irqs(vdev, hdr.flags, hdr.index, hdr.start,
				hdr.count, data);
	mutex_unlock(&vdev->igate);

	kfree(data);
	return ret;
}

static int vfio_pci_ioctl_reset(struct vfio_pci_device *vdev)
{
	int ret;

	if (!vdev->reset_works)
		return -EINVAL;

	vfio_pci_zap_and_down_write_memory_lock(vdev);
	/* A reset may need D0, and brings the device there anyway */
	vfio_pci_set_power_state(vdev, PCI_D0);
	ret = pci_try_reset_function(vdev->pdev);
	up_write(&vdev->memory_lock);

	return ret;
}

/* Is @pdev below @slot (a bus reset of the slot reaches it)? */
static bool vfio_pci_dev_below_slot(struct pci_dev *pdev,
				    struct pci_slot *slot)
{
	for (; pdev; pdev = pdev->bus->self)
		if (pdev->bus == slot->bus)
			return pdev->slot == slot;
	return false;
}

typedef int (*vfio_pci_walk_fn)(struct pci_dev *pdev, void *data);

struct vfio_pci_walk_info {
	vfio_pci_walk_fn fn;
	void *data;
	struct pci_dev *pdev;
	bool slot;
	int ret;
};

static int vfio_pci_walk_wrapper(struct pci_dev *pdev, void *data)
{
	struct vfio_pci_walk_info *walk = data;

	if (!walk->slot || vfio_pci_dev_below_slot(pdev, walk->pdev->slot))
		walk->ret = walk->fn(pdev, walk->data);

	return walk->ret;
}

/* Calls @fn on each device that a slot (@slot) or bus reset reaches */
static int vfio_pci_walk_reset_scope(struct pci_dev *pdev,
				     vfio_pci_walk_fn fn, void *data,
				     bool slot)
{
	struct vfio_pci_walk_info walk = {
		.fn = fn, .data = data, .pdev = pdev, .slot = slot, .ret = 0,
	};

	pci_walk_bus(pdev->bus, vfio_pci_walk_wrapper, &walk);
	return walk.ret;
}

static int vfio_pci_count_devs(struct pci_dev *pdev, void *data)
{
	(*(int *)data)++;
	return 0;
}

struct vfio_pci_fill_info {
	int max;
	int cur;
	struct vfio_pci_dependent_device *devices;
};

static int vfio_pci_fill_devs(struct pci_dev *pdev, void *data)
{
	struct vfio_pci_fill_info *fill = data;
	struct iommu_group *iommu_group;

	if (fill->cur == fill->max)
		return -EAGAIN;	/* a device came: the user tries again */

	iommu_group = iommu_group_get(&pdev->dev);
	if (!iommu_group)
		return -EPERM;	/* cannot reset a device that is not isolated */

	fill->devices[fill->cur].group_id = iommu_group_id(iommu_group);
	fill->devices[fill->cur].segment = pci_domain_nr(pdev->bus);
	fill->devices[fill->cur].bus = pdev->bus->number;
	fill->devices[fill->cur].devfn = pdev->devfn;
	fill->cur++;
	iommu_group_put(iommu_group);
	return 0;
}

/* Can a slot (true) or a bus (false) reset be done?  -ENODEV: neither */
static int vfio_pci_probe_hot_reset(struct pci_dev *pdev, bool *slot)
{
	*slot = false;
	if (!pci_probe_reset_slot(pdev->slot))
		*slot = true;
	else if (pci_probe_reset_bus(pdev->bus))
		return -ENODEV;
	return 0;
}

static int
vfio_pci_ioctl_get_hot_reset_info(struct vfio_pci_device *vdev,
				  struct vfio_pci_hot_reset_info __user *arg)
{
	struct vfio_pci_dependent_device *devices = NULL;
	struct vfio_pci_fill_info fill = { 0 };
	struct vfio_pci_hot_reset_info hdr;
	bool slot;
	int ret;

	ret = VFIO_COPY_ARG(&hdr, arg, count);
	if (ret)
		return ret;

	hdr.flags = 0;

	ret = vfio_pci_probe_hot_reset(vdev->pdev, &slot);
	if (ret)
		return ret;

	ret = vfio_pci_walk_reset_scope(vdev->pdev, vfio_pci_count_devs,
					&fill.max, slot);
	if (ret)
		return ret;

	WARN_ON(!fill.max);	/* there is at least the device itself */

	if (hdr.argsz < sizeof(hdr) + fill.max * sizeof(*devices)) {
		ret = -ENOSPC;
		hdr.count = fill.max;
		goto out_copy;
	}

	devices = vfio_fail_ptr(kcalloc(fill.max, sizeof(*devices),
					GFP_KERNEL));
	if (!devices)
		return -ENOMEM;
	fill.devices = devices;

	ret = vfio_pci_walk_reset_scope(vdev->pdev, vfio_pci_fill_devs,
					&fill, slot);
	/* A device that went away between count and fill leaves us short */
	if (!ret)
		hdr.count = fill.cur;

out_copy:
	if (copy_to_user(arg, &hdr, offsetofend(typeof(hdr), count)))
		ret = -EFAULT;

	if (!ret && copy_to_user(&arg->devices, devices,
				 hdr.count * sizeof(*devices)))
		ret = -EFAULT;

	kfree(devices);
	return ret;
}

/* The devices a hot reset affects, and the group files of the user */
struct vfio_pci_reset_set {
	struct file **files;
	int nfiles;
	struct vfio_pci_device **devs;
	int ndevs;
	int max;
};

/*
 * Each device the reset reaches must be bound to vfio-pci (so that its
 * state is ours to protect) and in a group the user passed (so that it
 * is the user's to reset).
 */
static int vfio_pci_reset_collect(struct pci_dev *pdev, void *data)
{
	struct vfio_pci_reset_set *set = data;
	struct vfio_pci_device *vdev;
	int i;

	lockdep_assert_held(&vfio_pci_reset_lock);

	if (pci_dev_driver(pdev) != &vfio_pci_driver)
		return -EINVAL;
	vdev = dev_get_drvdata(&pdev->dev);
	if (!vdev)
		return -EINVAL;

	for (i = 0; i < set->nfiles; i++)
		if (vfio_file_has_dev(set->files[i], &vdev->vdev))
			break;
	if (i == set->nfiles)
		return -EINVAL;

	if (set->ndevs == set->max)
		return -EAGAIN;	/* a device came since we counted */
	set->devs[set->ndevs++] = vdev;
	return 0;
}

/*
 * Resets the slot or bus of @vdev with every device of @set locked.  The
 * devices share no lock order, so all are taken with trylock: -EBUSY on
 * contention, as upstream.
 */
static int vfio_pci_reset_set_locked(struct vfio_pci_device *vdev,
				     struct vfio_pci_reset_set *set)
{
	int i, vma_locked = 0, mem_locked = 0, ret = -EBUSY;

	for (; vma_locked < set->ndevs; vma_locked++)
		if (!vfio_pci_zap_and_vma_lock(set->devs[vma_locked], true))
			goto out_unlock;

	for (; mem_locked < set->ndevs; mem_locked++) {
		struct vfio_pci_device *cur = set->devs[mem_locked];

		if (!down_write_trylock(&cur->memory_lock))
			goto out_unlock;
		mutex_unlock(&cur->vma_lock);
	}

	/* The reset needs D0, and brings every device there anyway */
	for (i = 0; i < set->ndevs; i++)
		vfio_pci_set_power_state(set->devs[i], PCI_D0);

	ret = pci_reset_bus(vdev->pdev);

out_unlock:
	for (i = 0; i < mem_locked; i++)
		up_write(&set->devs[i]->memory_lock);
	for (; i < vma_locked; i++)
		mutex_unlock(&set->devs[i]->vma_lock);
	return ret;
}

/* What a bus reset at release finds in its scope */
struct vfio_pci_release_scan {
	bool needs_reset;
	bool done;	/* the reset was done: clear needs_reset */
};

/*
 * Every device in the scope must be ours and not in use; one of them
 * must need the reset.  After a reset, clears their needs_reset.
 */
static int vfio_pci_release_scan(struct pci_dev *pdev, void *data)
{
	struct vfio_pci_release_scan *scan = data;
	struct vfio_pci_device *vdev;

	lockdep_assert_held(&vfio_pci_reset_lock);

	if (pci_dev_driver(pdev) != &vfio_pci_driver)
		return -EINVAL;
	vdev = dev_get_drvdata(&pdev->dev);
	if (!vdev || vdev->in_use)
		return -EBUSY;
	if (scan->done)
		vdev->needs_reset = false;
	else
		scan->needs_reset |= vdev->needs_reset;
	return 0;
}

/**
 * vfio_pci_try_bus_reset - reset the slot or bus of a released device
 * @vdev: the device whose last fd was closed
 *
 * As 6.1's vfio_pci_dev_set_try_reset(): a device released without a
 * function reset is reset with its slot or bus once every device that
 * reset reaches is bound to vfio-pci and unused (the last release among
 * them does it); nothing is done on the root bus, or when a device lock
 * is taken (pci_reset_bus() only tries them).
 */
static void vfio_pci_try_bus_reset(struct vfio_pci_device *vdev)
{
	struct vfio_pci_release_scan scan = { 0 };
	bool slot;

	if (vfio_pci_probe_hot_reset(vdev->pdev, &slot))
		return;

	mutex_lock(&vfio_pci_reset_lock);
	if (!vfio_pci_walk_reset_scope(vdev->pdev, vfio_pci_release_scan,
				       &scan, slot) &&
	    scan.needs_reset && !pci_reset_bus(vdev->pdev)) {
		scan.done = true;
		vfio_pci_walk_reset_scope(vdev->pdev, vfio_pci_release_scan,
					  &scan, slot);
	}
	mutex_unlock(&vfio_pci_reset_lock);
}

static int vfio_pci_ioctl_pci_hot_reset(struct vfio_pci_device *vdev,
					struct vfio_pci_hot_reset __user *arg)
{
	struct vfio_pci_reset_set set = { 0 };
	struct vfio_pci_hot_reset hdr;
	int count = 0, ret, i;
	s32 *group_fds;
	bool slot;

	ret = VFIO_COPY_ARG(&hdr, arg, count);
	if (ret)
		return ret;

	if (hdr.flags)
		return -EINVAL;

	ret = vfio_pci_probe_hot_reset(vdev->pdev, &slot);
	if (ret)
		return ret;

	/*
	 * A group may hold several devices: no more groups than devices.
	 * That also bounds what we copy from the user.
	 */
	ret = vfio_pci_walk_reset_scope(vdev->pdev, vfio_pci_count_devs,
					&count, slot);
	if (ret)
		return ret;

	if (!hdr.count || hdr.count > count)
		return -EINVAL;

	group_fds = vfio_fail_errptr(memdup_user(&arg->group_fds,
						 hdr.count * sizeof(*group_fds)));
	if (IS_ERR(group_fds))
		return PTR_ERR(group_fds);

	set.files = vfio_fail_ptr(kcalloc(hdr.count, sizeof(*set.files),
					  GFP_KERNEL));
	set.max = count;
	set.devs = vfio_fail_ptr(kcalloc(count, sizeof(*set.devs),
					 GFP_KERNEL));
	if (!set.files || !set.devs) {
		ret = -ENOMEM;
		goto out_free;
	}

	/* The files keep the groups, and so their devices, while we reset */
	for (; set.nfiles < hdr.count; set.nfiles++) {
		struct file *file = fget(group_fds[set.nfiles]);

		if (!file) {
			ret = -EBADF;
			goto out_put;
		}
		if (!vfio_file_is_group(file)) {
			fput(file);
			ret = -EINVAL;
			goto out_put;
		}
		set.files[set.nfiles] = file;
	}

	mutex_lock(&vfio_pci_reset_lock);
	ret = vfio_pci_walk_reset_scope(vdev->pdev, vfio_pci_reset_collect,
					&set, slot);
	if (!ret)
		ret = vfio_pci_reset_set_locked(vdev, &set);
	mutex_unlock(&vfio_pci_reset_lock);

out_put:
	for (i = 0; i < set.nfiles; i++)
		fput(set.files[i]);
out_free:
	kfree(set.devs);
	kfree(set.files);
	kfree(group_fds);
	return ret;
}

static int vfio_pci_ioctl_ioeventfd(struct vfio_pci_device *vdev,
				    struct vfio_device_ioeventfd __user *arg)
{
	struct vfio_device_ioeventfd ioeventfd;
	int count, ret;

	ret = VFIO_COPY_ARG(&ioeventfd, arg, fd);
	if (ret)
		return ret;

	if (ioeventfd.flags & ~VFIO_DEVICE_IOEVENTFD_SIZE_MASK)
		return -EINVAL;

	count = ioeventfd.flags & VFIO_DEVICE_IOEVENTFD_SIZE_MASK;

	if (hweight8(count) != 1 || ioeventfd.fd < -1)
		return -EINVAL;

	return vfio_pci_ioeventfd(vdev, ioeventfd.offset, ioeventfd.data,
				  count, ioeventfd.fd);
}

/*
 * VFIO_DEVICE_FEATURE does not come here: the core checks its header and
 * hands each feature to ops->device_feature.  vfio-pci has none of them
 * (migration, DMA logging, low power, VF token), so it has no such op and
 * the core answers -ENOTTY.
 */
static long vfio_pci_ioctl(struct vfio_device *core_vdev, unsigned int cmd,
			   unsigned long arg)
{
	struct vfio_pci_device *vdev = to_vfio_pci(core_vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vfio_pci_ioctl_get_info(vdev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vfio_pci_ioctl_get_irq_info(vdev, uarg);
	case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
		return vfio_pci_ioctl_get_hot_reset_info(vdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfio_pci_ioctl_get_region_info(vdev, uarg);
	case VFIO_DEVICE_IOEVENTFD:
		return vfio_pci_ioctl_ioeventfd(vdev, uarg);
	case VFIO_DEVICE_PCI_HOT_RESET:
		return vfio_pci_ioctl_pci_hot_reset(vdev, uarg);
	case VFIO_DEVICE_RESET:
		return vfio_pci_ioctl_reset(vdev);
	case VFIO_DEVICE_SET_IRQS:
		return vfio_pci_ioctl_set_irqs(vdev, uarg);
	default:
		return -ENOTTY;
	}
}

static ssize_t vfio_pci_rw(struct vfio_pci_device *vdev, char __user *buf,
			   size_t count, loff_t *ppos, bool iswrite)
{
	u64 index = VFIO_PCI_OFFSET_TO_INDEX(*ppos);

	if (!count)
		return 0;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return vfio_pci_config_rw(vdev, buf, count, ppos, iswrite);
	case VFIO_PCI_ROM_REGION_INDEX:
		if (iswrite)
			return -EINVAL;
		return vfio_pci_bar_rw(vdev, buf, count, ppos, false);
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		return vfio_pci_bar_rw(vdev, buf, count, ppos, iswrite);
	case VFIO_PCI_VGA_REGION_INDEX:
		return vfio_pci_vga_rw(vdev, buf, count, ppos, iswrite);
	default:
		return -EINVAL;
	}
}

static ssize_t vfio_pci_read(struct vfio_device *core_vdev, char __user *buf,
			     size_t count, loff_t *ppos)
{
	return vfio_pci_rw(to_vfio_pci(core_vdev), buf, count, ppos, false);
}

static ssize_t vfio_pci_write(struct vfio_device *core_vdev,
			      const char __user *buf, size_t count,
			      loff_t *ppos)
{
	/* Writes only read from buf: the cast just shares the paths */
	return vfio_pci_rw(to_vfio_pci(core_vdev), (char __user *)buf, count,
			   ppos, true);
}

static void vfio_pci_request(struct vfio_device *core_vdev,
			     unsigned int count)
{
	vfio_pci_signal_req(to_vfio_pci(core_vdev), count);
}

#define VF_TOKEN_ARG "vf_token="

/*
 * Matches "<pci name>" and "<pci name> vf_token=<uuid>".  A VF token only
 * means something for a PF whose VFs vfio-pci handles, which this driver
 * does not do: like upstream for a device that is no PF, it is refused.
 */
static int vfio_pci_match(struct vfio_device *core_vdev, const char *buf)
{
	struct vfio_pci_device *vdev = to_vfio_pci(core_vdev);
	const char *name = pci_name(vdev->pdev);
	bool vf_token = false;
	uuid_t uuid;
	int ret;

	if (strncmp(name, buf, strlen(name)))
		return 0;
	buf += strlen(name);
	if (!*buf)
		return 1;
	if (*buf != ' ')
		return 0;	/* a longer name */

	while (*buf) {
		if (*buf == ' ') {
			buf++;
			continue;
		}
		if (vf_token || strncmp(buf, VF_TOKEN_ARG, strlen(VF_TOKEN_ARG)))
			return -EINVAL;	/* unknown or repeated option */

		buf += strlen(VF_TOKEN_ARG);
		if (strlen(buf) < UUID_STRING_LEN)
			return -EINVAL;
		ret = uuid_parse(buf, &uuid);
		if (ret)
			return ret;
		vf_token = true;
		buf += UUID_STRING_LEN;
	}

	if (vf_token) {
		pci_info_ratelimited(vdev->pdev,
				     "VF token incorrectly provided, not a PF or VF\n");
		return -EINVAL;
	}
	return 1;
}

static const struct vfio_device_ops vfio_pci_ops = {
	.name		= "vfio-pci",
	.open_device	= vfio_pci_open_device,
	.close_device	= vfio_pci_close_device,
	.read		= vfio_pci_read,
	.write		= vfio_pci_write,
	.ioctl		= vfio_pci_ioctl,
	.mmap		= vfio_pci_mmap,
	.request	= vfio_pci_request,
	.match		= vfio_pci_match,
};

static bool vfio_pci_is_vga(struct pci_dev *pdev)
{
	return (pdev->class >> 8) == PCI_CLASS_DISPLAY_VGA;
}

/*
 * The VGA arbiter asks which resources a VGA device decodes.  We cannot
 * know what the user will do with it, so all of them; but the legacy
 * ranges, which the user cannot reach with disable_vga, are not decoded
 * when no other VGA device shares the bridges above it (routing to it
 * can then be turned off at the bridge).
 */
static unsigned int vfio_pci_set_decode(struct pci_dev *pdev, bool single_vga)
{
	unsigned int all = VGA_RSRC_NORMAL_IO | VGA_RSRC_NORMAL_MEM |
			   VGA_RSRC_LEGACY_IO | VGA_RSRC_LEGACY_MEM;
	struct pci_dev *other = NULL;
	unsigned char last_bus;

	if (single_vga || !disable_vga || pci_is_root_bus(pdev->bus))
		return all;

	last_bus = pci_bus_max_busnr(pdev->bus);
	while ((other = pci_get_class(PCI_CLASS_DISPLAY_VGA << 8, other))) {
		if (other == pdev || pci_is_root_bus(other->bus) ||
		    pci_domain_nr(other->bus) != pci_domain_nr(pdev->bus))
			continue;
		if (other->bus->number >= pdev->bus->number &&
		    other->bus->number <= last_bus) {
			pci_dev_put(other);
			return all;
		}
	}
	return VGA_RSRC_NORMAL_IO | VGA_RSRC_NORMAL_MEM;
}

/*
 * A VGA device takes part in VGA arbitration while bound, after any
 * firmware framebuffer on it is gone; the VGA region is offered unless
 * disable_vga.
 */
static int vfio_pci_vga_init(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret;

	if (!vfio_pci_is_vga(pdev))
		return 0;

	ret = aperture_remove_conflicting_pci_devices(pdev,
						      vdev->vdev.ops->name);
	if (ret)
		return ret;
	ret = vga_client_register(pdev, vfio_pci_set_decode);
	if (ret)
		return ret;
	vga_set_legacy_decoding(pdev, vfio_pci_set_decode(pdev, false));
	vdev->has_vga = !disable_vga;
	return 0;
}

static void vfio_pci_vga_uninit(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;

	if (!vfio_pci_is_vga(pdev))
		return;
	vga_client_unregister(pdev);
	vga_set_legacy_decoding(pdev, VGA_RSRC_NORMAL_IO | VGA_RSRC_NORMAL_MEM |
				VGA_RSRC_LEGACY_IO | VGA_RSRC_LEGACY_MEM);
}

static int vfio_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vfio_pci_device *vdev;
	int ret;

	if (vfio_pci_is_denylisted(pdev))
		return -EINVAL;

	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL)
		return -EINVAL;

	/*
	 * VFs of a PF with SR-IOV enabled may be in use by the host, and
	 * this driver cannot track their users: refuse such PFs.
	 */
	if (pci_num_vf(pdev)) {
		pci_warn(pdev, "Cannot bind to PF with SR-IOV enabled\n");
		return -EBUSY;
	}

	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return -ENOMEM;

	vfio_init_group_dev(&vdev->vdev, &pdev->dev, &vfio_pci_ops);
	vdev->pdev = pdev;
	vdev->irq_type = VFIO_PCI_NUM_IRQS;
	vdev->msix_bar = VFIO_PCI_NO_MSIX_BAR;
	init_rwsem(&vdev->memory_lock);
	mutex_init(&vdev->vma_lock);
	INIT_LIST_HEAD(&vdev->vma_list);
	mutex_init(&vdev->bar_lock);
	mutex_init(&vdev->ioeventfds_lock);
	INIT_LIST_HEAD(&vdev->ioeventfds_list);
	mutex_init(&vdev->config_lock);
	mutex_init(&vdev->igate);
	spin_lock_init(&vdev->irqlock);

	if (pdev->pm_cap) {
		u16 pmcsr;

		pci_read_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL, &pmcsr);
		vdev->needs_pm_restore = !(pmcsr & PCI_PM_CTRL_NO_SOFT_RESET);
	}

	mutex_lock(&vfio_pci_reset_lock);
	dev_set_drvdata(&pdev->dev, vdev);
	mutex_unlock(&vfio_pci_reset_lock);

	ret = vfio_pci_vga_init(vdev);
	if (ret)
		goto out_free;

	/* -EINVAL without an IOMMU group, unless in no-IOMMU mode */
	ret = vfio_register_group_dev(&vdev->vdev);
	if (ret)
		goto out_vga;
	return 0;

out_vga:
	vfio_pci_vga_uninit(vdev);
out_free:
	mutex_lock(&vfio_pci_reset_lock);
	dev_set_drvdata(&pdev->dev, NULL);
	mutex_unlock(&vfio_pci_reset_lock);
	kfree(vdev);
	return ret;
}

static void vfio_pci_remove(struct pci_dev *pdev)
{
	struct vfio_pci_device *vdev = dev_get_drvdata(&pdev->dev);

	/* Returns once the user closed the device: no callback runs after */
	vfio_unregister_group_dev(&vdev->vdev);
	vfio_pci_vga_uninit(vdev);

	/* Nor a hot reset of another device */
	mutex_lock(&vfio_pci_reset_lock);
	dev_set_drvdata(&pdev->dev, NULL);
	mutex_unlock(&vfio_pci_reset_lock);

	kfree(vdev->pm_save);
	kfree(vdev);
}

static pci_ers_result_t vfio_pci_aer_err_detected(struct pci_dev *pdev,
						  pci_channel_state_t state)
{
	vfio_pci_signal_err(dev_get_drvdata(&pdev->dev));
	return PCI_ERS_RESULT_CAN_RECOVER;
}

static const struct pci_error_handlers vfio_pci_err_handlers = {
	.error_detected = vfio_pci_aer_err_detected,
};

static const struct pci_device_id vfio_pci_table[] = {
	/* Any device, but only through driver_override (or new_id/ids=) */
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(PCI_ANY_ID, PCI_ANY_ID) },
	{}
};
MODULE_DEVICE_TABLE(pci, vfio_pci_table);

static struct pci_driver vfio_pci_driver = {
	.name			= "vfio-pci",
	.id_table		= vfio_pci_table,
	.probe			= vfio_pci_probe,
	.remove			= vfio_pci_remove,
	.err_handler		= &vfio_pci_err_handlers,
	.driver_managed_dma	= true,
};

/* Adds the IDs of the ids= parameter as dynamic IDs */
static void __init vfio_pci_fill_ids(void)
{
	char *p = ids, *id;

	while ((id = strsep(&p, ","))) {
		unsigned int vendor, device, subvendor = PCI_ANY_ID,
			     subdevice = PCI_ANY_ID, class = 0, class_mask = 0;
		int fields, ret;

		if (!*id)
			continue;

		fields = sscanf(id, "%x:%x:%x:%x:%x:%x", &vendor, &device,
				&subvendor, &subdevice, &class, &class_mask);
		if (fields < 2) {
			pr_warn("invalid id string \"%s\"\n", id);
			continue;
		}

		ret = pci_add_dynid(&vfio_pci_driver, vendor, device,
				    subvendor, subdevice, class, class_mask, 0);
		if (ret)
			pr_warn("failed to add dynamic id [%04x:%04x[%04x:%04x]] class %#08x/%08x (%d)\n",
				vendor, device, subvendor, subdevice,
				class, class_mask, ret);
		else
			pr_info("add [%04x:%04x[%04x:%04x]] class %#08x/%08x\n",
				vendor, device, subvendor, subdevice,
				class, class_mask);
	}
}

static int __init vfio_pci_init(void)
{
	int ret;

	ret = vfio_pci_virqfd_init();
	if (ret)
		return ret;

	ret = pci_register_driver(&vfio_pci_driver);
	if (ret) {
		vfio_pci_virqfd_exit();
		return ret;
	}

	vfio_pci_fill_ids();

	if (disable_denylist)
		pr_warn("device denylist disabled\n");
	return 0;
}
module_init(vfio_pci_init);

static void __exit vfio_pci_exit(void)
{
	pci_unregister_driver(&vfio_pci_driver);
	vfio_pci_virqfd_exit();
}
module_exit(vfio_pci_exit);

MODULE_VERSION(VFIO_MODULES_VERSION);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VFIO PCI - user level meta-driver for PCI devices");
